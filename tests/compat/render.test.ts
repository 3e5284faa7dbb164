/**
 * Differential compatibility: the worker's Graphite API (/graphite/render, /graphite/metrics/find,
 * /graphite/tags/...) against Debian's graphite-web 1.1.8 on the same data.
 *
 * Both sides are started by hand on 127.0.0.1 (graphite-web.ts), loaded with the same deterministic fixture
 * (fixtures.ts: whisper files written directly for graphite-web, Graphite plaintext for the worker) and asked every
 * target of the table (targets.ts) over the same absolute range, format=json. Series names, tags, timestamps must be
 * equal, values within 1e-9 relative, nulls in the same places (compare.ts).
 *
 * Run with tests/compat/run.sh (installs graphite-web if needed, builds the worker). COMPAT_KEEP=1 keeps both data
 * directories; COMPAT_ONLY=<substring> runs only the targets that contain it. A summary of every case is written to
 * tests/output/compat-render.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  type RenderSeries,
  GraphiteWeb,
  WORKER_PREFIX,
  WorkerSide,
  parsePythonJson,
  parseRenderJson,
  queryString,
} from './graphite-web';
import { diffJson, diffRender } from './compare';
import { buildFixture } from './fixtures';
import {
  API_QUERIES,
  CSV_TARGETS,
  FUNCTION_INFO_EXCEPTIONS,
  REQUIRED_FUNCTIONS,
  TARGETS,
  type TargetCase,
  WINDOWS,
  coveredFunctions,
  normalizeApiAnswer,
} from './targets';
import { REPO_ROOT } from '../helpers/worker-process';

jest.setTimeout(120_000);

/** The fixture's end and the queries' reference: a whole minute, a minute ago, frozen for the whole run. */
const END = Math.floor(Date.now() / 60_000) * 60 - 60;
const KEEP = process.env.COMPAT_KEEP === '1';
const ONLY = process.env.COMPAT_ONLY;
const SETUP_BUDGET_MS = 420_000;

const fixture = buildFixture(END);
let gw: GraphiteWeb | undefined;
let worker: WorkerSide | undefined;
let graphiteFunctions: Record<string, { name: string; group: string; params: unknown }> = {};

type Outcome = 'pass' | 'fail' | 'exception (differs)' | 'exception (now equal)';
const results: Array<{ kind: string; query: string; outcome: Outcome; detail?: string }> = [];

function label(c: TargetCase): string {
  const t = Array.isArray(c.target) ? c.target.join(' & ') : c.target;
  const extra = Object.entries(c.params ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${t} [${c.range?.name ?? c.window ?? 'hours'}${extra ? ' ' + extra : ''}]`;
}

function renderQuery(c: TargetCase, format = 'json'): string {
  const w = WINDOWS[c.window ?? 'hours'];
  const params: Array<[string, string | number]> = [];
  for (const t of Array.isArray(c.target) ? c.target : [c.target]) params.push(['target', t]);
  params.push(['format', format]);
  if (c.range) params.push(['from', c.range.from(END)], ['until', c.range.until(END)]);
  else params.push(['from', END + w.from], ['until', END + w.until]);
  for (const [k, v] of Object.entries(c.params ?? {})) params.push([k, v]);
  return `/render${queryString(params)}`;
}

/** Both sides' answers to the same path (graphite-web's path; the worker's under /graphite). */
async function ask(path: string): Promise<{ gwStatus: number; gwText: string; wkStatus: number; wkText: string }> {
  const [g, w] = await Promise.all([gw!.get(path), worker!.get(WORKER_PREFIX + path)]);
  return { gwStatus: g.status, gwText: g.text, wkStatus: w.status, wkText: w.text };
}

function parseOrExplain(side: string, text: string): RenderSeries[] {
  try {
    return parseRenderJson(text);
  } catch (e) {
    throw new Error(
      `${side} answered something that is not render JSON (${(e as Error).message}): ${text.slice(0, 1000)}`
    );
  }
}

beforeAll(async () => {
  const started = Date.now();
  const [g, w] = await Promise.allSettled([GraphiteWeb.start({ workers: 2 }), WorkerSide.start()]);
  if (g.status === 'fulfilled') gw = g.value;
  if (w.status === 'fulfilled') worker = w.value;
  if (g.status === 'rejected') throw g.reason;
  if (w.status === 'rejected') throw w.reason;
  const [loaded, sent, functions] = await Promise.all([
    gw!.load(fixture, { timeoutMs: SETUP_BUDGET_MS }),
    worker!.load(fixture),
    gw!.functions(),
  ]);
  graphiteFunctions = functions;
  if (sent !== loaded.points) {
    throw new Error(`the worker was sent ${sent} points, whisper holds ${loaded.points}`);
  }
  process.stderr.write(
    `compat: ${loaded.files} series, ${loaded.points} points on both sides in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(graphite-web pid ${gw!.pid} on :${gw!.port}, worker pid ${worker!.pid} on :${worker!.port}, end ${END})\n`
  );
}, SETUP_BUDGET_MS + 60_000);

afterAll(async () => {
  await Promise.all([gw?.stop(KEEP), worker?.stop(KEEP)]);
  if (KEEP) process.stderr.write(`compat: kept ${gw?.dir} and ${worker?.dir}\n`);
  writeSummary();
}, 60_000);

function writeSummary(): void {
  if (!results.length) return;
  const dir = join(REPO_ROOT, 'tests', 'output');
  mkdirSync(dir, { recursive: true });
  const count = (o: Outcome): number => results.filter((r) => r.outcome === o).length;
  const lines = [
    `# Differential compatibility: worker vs graphite-web 1.1.8`,
    '',
    `Fixture end ${END} (${new Date(END * 1000).toISOString()}). ${results.length} cases: ${count('pass')} pass, ` +
      `${count('fail')} fail, ${count('exception (differs)')} documented exceptions that differ, ` +
      `${count('exception (now equal)')} documented exceptions that now agree.`,
    '',
    '| kind | query | outcome |',
    '| --- | --- | --- |',
    ...results.map((r) => `| ${r.kind} | \`${r.query.replace(/\|/g, '\\|')}\` | ${r.outcome} |`),
    '',
    '## Documented exceptions',
    '',
    ...results
      .filter((r) => r.outcome.startsWith('exception'))
      .map((r) => `- ${r.kind} \`${r.query}\`: ${r.outcome}. ${r.detail ?? ''}`),
    '',
    '## Failures',
    '',
    ...results
      .filter((r) => r.outcome === 'fail')
      .flatMap((r) => [`### ${r.kind} \`${r.query}\``, '', '```', r.detail ?? '', '```', '']),
  ];
  writeFileSync(join(dir, 'compat-render.md'), lines.join('\n'));
}

const selected = ONLY ? TARGETS.filter((c) => label(c).includes(ONLY)) : TARGETS;

describe('the harness', () => {
  test('the target table names every function issue 3 asks for', () => {
    const covered = coveredFunctions(TARGETS);
    expect(REQUIRED_FUNCTIONS.filter((f) => !covered.has(f))).toEqual([]);
  });

  test('both sides hold the fixture: a plain fetch of every series equals the generated points', async () => {
    const start = fixture[0]!.start;
    // The fixture's first hour and its last six; whisper's fetch starts one step after `from`.
    for (const [from, until] of [
      [start - 10, start + 3600 - 10],
      [END - 6 * 3600 - 10, END - 10],
    ] as const) {
      const path = `/render${queryString([
        ['target', '*.*.*'],
        ['target', '*.*.*.*'],
        ['target', '*.*.*.*.*'],
        ['target', '*.*.*.*.*.*'],
        ['target', "seriesByTag('name=~.')"],
        ['format', 'json'],
        ['from', from],
        ['until', until],
      ])}`;
      const r = await ask(path);
      expect([r.gwStatus, r.wkStatus]).toEqual([200, 200]);
      for (const [side, text] of [
        ['graphite-web', r.gwText],
        ['the worker', r.wkText],
      ] as const) {
        const got = new Map(parseRenderJson(text).map((s) => [s.target, s.datapoints]));
        const bad: string[] = [];
        for (const s of fixture) {
          // Tagged series come back under their normalized name (tags sorted), as both sides store them.
          const [name, ...tags] = s.path.split(';');
          const pts = got.get([name, ...tags.sort()].join(';'));
          if (!pts) {
            bad.push(`${s.path}: missing`);
            continue;
          }
          const first = (from + 10 - s.start) / s.step;
          for (let k = 0; k < pts.length || first + k < (until + 10 - s.start) / s.step; k++) {
            const t = s.start + (first + k) * s.step;
            const want = s.values[first + k] ?? null;
            const at = pts[k];
            if (!at || at[1] !== t || at[0] !== want) {
              bad.push(`${s.path} point ${k}: want ${want} at ${t}, got ${JSON.stringify(at)}`);
              break;
            }
          }
        }
        if (bad.length) throw new Error(`${side} does not hold the fixture:\n${bad.slice(0, 10).join('\n')}`);
      }
    }
  });

  test('the comparison sees a difference: graphite-web x scaled by 1.000001 against the worker x', async () => {
    const w = WINDOWS.hours;
    const q = (t: string): string =>
      `/render${queryString([
        ['target', t],
        ['format', 'json'],
        ['from', END + w.from],
        ['until', END + w.until],
      ])}`;
    const [g, k] = await Promise.all([
      gw!.get(q("alias(scale(misc.constant.one,1.000001),'misc.constant.one')")),
      worker!.get(WORKER_PREFIX + q('misc.constant.one')),
    ]);
    const diff = diffRender(parseRenderJson(g.text), parseRenderJson(k.text));
    expect(diff).toMatch(/point 0 at \d+ .*: graphite-web [\d.]+, worker [\d.]+ \(relative difference 1\.00e-6\)/);
  });
});

describe('/render format=json', () => {
  test.each(selected.map((c) => [label(c), c] as const))('%s', async (name, c) => {
    const path = renderQuery(c);
    const r = await ask(path);
    const where = `graphite-web: GET ${path}\nworker:       GET ${WORKER_PREFIX}${path}`;
    const record = (outcome: Outcome, detail?: string): void => {
      results.push({ kind: 'render', query: name, outcome, detail });
    };
    if (r.gwStatus !== 200 || r.wkStatus !== 200) {
      const detail =
        `status: graphite-web ${r.gwStatus}, worker ${r.wkStatus}\n` +
        `graphite-web said: ${r.gwText.slice(0, 1500)}\nworker said: ${r.wkText.slice(0, 1500)}\n${where}`;
      record('fail', detail);
      throw new Error(detail);
    }
    const diff = diffRender(parseOrExplain('graphite-web', r.gwText), parseOrExplain('the worker', r.wkText));
    if (c.exception) {
      record(diff ? 'exception (differs)' : 'exception (now equal)', diff);
      return;
    }
    if (diff) {
      record('fail', `${diff}\n${where}`);
      throw new Error(`${name}: the worker's answer differs from graphite-web's\n${diff}\n${where}`);
    }
    record('pass');
  });
});

describe('/render format=csv', () => {
  test.each(CSV_TARGETS.map((c) => [label(c), c] as const))('%s', async (name, c) => {
    const path = renderQuery(c, 'csv');
    const r = await ask(path);
    const where = `graphite-web: GET ${path}\nworker:       GET ${WORKER_PREFIX}${path}`;
    let detail: string | undefined;
    if (r.gwStatus !== 200 || r.wkStatus !== 200) {
      detail = `status: graphite-web ${r.gwStatus}, worker ${r.wkStatus}\n${r.wkText.slice(0, 1000)}`;
    } else if (r.gwText !== r.wkText) {
      const g = r.gwText.split('\n');
      const w = r.wkText.split('\n');
      const i = g.findIndex((line, k) => line !== w[k]);
      const at = i < 0 ? g.length : i;
      detail =
        `lines: graphite-web ${g.length}, worker ${w.length}; first difference at line ${at + 1}:\n` +
        `  graphite-web ${JSON.stringify(g[at])}\n  worker       ${JSON.stringify(w[at])}`;
    }
    results.push({ kind: 'csv', query: name, outcome: detail ? 'fail' : 'pass', detail });
    if (detail) throw new Error(`${detail}\n${where}`);
  });
});

describe('metric and tag APIs', () => {
  test.each(API_QUERIES.map((c) => [c.path, c] as const))('%s', async (path, c) => {
    const r = await ask(path);
    const where = `graphite-web: GET ${path}\nworker:       GET ${WORKER_PREFIX}${path}`;
    const fail = (detail: string): never => {
      results.push({ kind: 'api', query: path, outcome: 'fail', detail });
      throw new Error(detail);
    };
    if (r.gwStatus !== 200 || r.wkStatus !== 200) {
      fail(`status: graphite-web ${r.gwStatus}, worker ${r.wkStatus}\n${r.wkText.slice(0, 1000)}\n${where}`);
    }
    const parse = (side: string, text: string): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        return fail(`${side} answered something that is not JSON: ${text.slice(0, 1000)}\n${where}`);
      }
    };
    const diff = diffJson(
      normalizeApiAnswer(c, 'graphite-web', parse('graphite-web', r.gwText)),
      normalizeApiAnswer(c, 'worker', parse('the worker', r.wkText))
    );
    if (diff) fail(`${diff}\n${where}`);
    results.push({ kind: 'api', query: path, outcome: 'pass' });
  });
});

describe('/functions', () => {
  let workerFunctions: Record<string, { name: string; group: string; params: unknown }> | undefined;

  test.each(REQUIRED_FUNCTIONS)('%s', async (name) => {
    if (!workerFunctions) {
      const r = await worker!.get(`${WORKER_PREFIX}/functions`);
      expect(r.status).toBe(200);
      workerFunctions = parsePythonJson(r.text) as typeof workerFunctions;
    }
    const exception = FUNCTION_INFO_EXCEPTIONS[name];
    const pick = (info: { name: string; group: string; params: unknown } | undefined): unknown => {
      if (!info) return undefined;
      const params = (info.params as Array<Record<string, unknown>> | null)?.map((p) =>
        exception && p.name === exception.param ? { ...p, options: '(differs by design)' } : p
      );
      return { name: info.name, group: info.group, params };
    };
    const diff = diffJson(pick(graphiteFunctions[name]), pick(workerFunctions![name]));
    const outcome: Outcome = diff ? 'fail' : exception ? 'exception (differs)' : 'pass';
    results.push({ kind: 'functions', query: name, outcome, detail: diff ?? exception?.reason });
    if (diff) throw new Error(`/functions disagrees on ${name}:\n${diff}`);
  });
});
