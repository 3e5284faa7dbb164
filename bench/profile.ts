/**
 * Summaries of V8 CPU profiles (`node --cpu-prof`): self time per function, the busiest first.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { SourceMap, type SourceMapPayload, type SourceMapping } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface FunctionTime {
  /** `name (file:line)`, the file relative to the repository. */
  where: string;
  selfMs: number;
  /** Share of the busy (non-idle) time. */
  share: number;
}

export interface ProfileSummary {
  file: string;
  wallMs: number;
  busyMs: number;
  idleMs: number;
  gcMs: number;
  top: FunctionTime[];
}

const IDLE = new Set(['(idle)']);

const sourceMaps = new Map<string, SourceMap | undefined>();

/**
 * `name (file:line)` of a frame, the file relative to `root`; frames in the compiled worker (build/) are mapped
 * back to their TypeScript source through the build's source maps.
 */
function frameName(frame: ProfileNode['callFrame'], root: string): string {
  const name = frame.functionName || '(anonymous)';
  let file = frame.url.replace(/^file:\/\//, '');
  if (!file) {
    return name;
  }
  let line = frame.lineNumber + 1;
  if (file.endsWith('.js') && file.startsWith(join(root, 'build'))) {
    if (!sourceMaps.has(file)) {
      const mapFile = `${file}.map`;
      sourceMaps.set(
        file,
        existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload) : undefined
      );
    }
    const entry = sourceMaps.get(file)?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry && 'originalSource' in entry) {
      const e = entry as SourceMapping;
      file = resolve(dirname(file), e.originalSource.replace(/^file:\/\//, ''));
      line = e.originalLine + 1;
    }
  }
  return `${name} (${file.startsWith(root) ? relative(root, file) : file}:${line})`;
}

/** Seconds since the profile started (about when the process started). */
export interface ProfileWindow {
  fromS: number;
  toS: number;
}

/** Self time per function of one profile, over the whole of it or only the samples inside `window`. */
export function summarizeProfile(file: string, root: string, topN = 15, window?: ProfileWindow): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
  }
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's time is the gap to the next sample (the interval it stood for).
  let at = 0;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    if (window && (at < window.fromS * 1e6 || at > window.toS * 1e6)) {
      continue;
    }
    const dt = deltas[i + 1] ?? 0;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + Math.max(0, dt));
  }
  const byFunction = new Map<string, number>();
  let idle = 0;
  let gc = 0;
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    total += us;
    if (IDLE.has(frame.functionName)) {
      idle += us;
      continue;
    }
    if (frame.functionName === '(garbage collector)') {
      gc += us;
    }
    const where = frameName(frame, root);
    byFunction.set(where, (byFunction.get(where) ?? 0) + us);
  }
  const busy = total - idle;
  const top = [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topN)
    .map(([where, us]) => ({ where, selfMs: us / 1000, share: busy > 0 ? us / busy : 0 }));
  return { file, wallMs: total / 1000, busyMs: busy / 1000, idleMs: idle / 1000, gcMs: gc / 1000, top };
}

/** The profiles a process wrote into `dir` (one per thread: the main thread's is the largest). */
export function profilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
}

export function formatProfile(title: string, s: ProfileSummary): string {
  const lines = [
    `#### ${title}`,
    '',
    `Profile ${s.file}: ${(s.wallMs / 1000).toFixed(1)} s sampled, busy ${(s.busyMs / 1000).toFixed(1)} s ` +
      `(${pct(s.busyMs / Math.max(1, s.wallMs))} of the main thread), of which GC ${pct(s.gcMs / Math.max(1, s.busyMs))}.`,
    '',
    '| self ms | share of busy | function |',
    '| ---: | ---: | --- |',
    ...s.top.map((f) => `| ${f.selfMs.toFixed(0)} | ${pct(f.share)} | \`${f.where}\` |`),
    '',
  ];
  return lines.join('\n');
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

export interface BusyStretch {
  /** Seconds since the profile started. */
  atS: number;
  ms: number;
  /** Functions on the stack for the largest part of the stretch (inclusive time), outermost first. */
  inclusive: Array<{ where: string; ms: number }>;
}

/**
 * The longest stretches in which the main thread never went idle: what blocks the event loop (and, on a UDP
 * server, lets the socket's receive buffer overflow).
 */
export function longestBusyStretches(file: string, root: string, count = 5, window?: ProfileWindow): BusyStretch[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile & {
    nodes: Array<ProfileNode & { children?: number[] }>;
  };
  const byId = new Map<number, ProfileNode & { children?: number[] }>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) {
      parent.set(c, n.id);
    }
  }
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const stretches: Array<{ from: number; to: number; at: number }> = [];
  let at = 0;
  let open: { from: number; at: number } | undefined;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    const inWindow = !window || (at >= window.fromS * 1e6 && at <= window.toS * 1e6);
    const idle = !inWindow || byId.get(samples[i]!)!.callFrame.functionName === '(idle)';
    if (!idle && !open) {
      open = { from: i, at };
    } else if (idle && open) {
      stretches.push({ from: open.from, to: i, at: open.at });
      open = undefined;
    }
  }
  const durations = stretches.map((s) => {
    let us = 0;
    for (let i = s.from; i < s.to; i++) {
      us += deltas[i + 1] ?? 0;
    }
    return { ...s, us };
  });
  durations.sort((a, b) => b.us - a.us);
  return durations.slice(0, count).map((s) => {
    const incl = new Map<string, number>();
    for (let i = s.from; i < s.to; i++) {
      const seen = new Set<string>();
      for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) {
        const frame = byId.get(id)!.callFrame;
        if (!frame.url) {
          continue;
        }
        const where = frameName(frame, root);
        if (!seen.has(where)) {
          seen.add(where);
          incl.set(where, (incl.get(where) ?? 0) + (deltas[i + 1] ?? 0));
        }
      }
    }
    const inclusive = [...incl.entries()]
      .filter(([, us]) => us >= s.us * 0.3)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([where, us]) => ({ where, ms: us / 1000 }));
    return { atS: s.at / 1e6, ms: s.us / 1000, inclusive };
  });
}
