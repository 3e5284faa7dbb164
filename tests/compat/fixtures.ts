/**
 * The suite's fixture: a deterministic set of a few hundred series at 10 s over the two days before `end`, the same
 * for both sides. Values come from a seeded generator and are rounded to a few decimals (what collectors send).
 *
 * - `servers.<dc>.<host>.cpu.{user,system,iowait,idle}`: percentages; `...memory.{used,free}`: bytes;
 *   `...disk.<dev>.{reads,writes}`: ever-growing operation counters; `...load.{shortterm,longterm}`.
 * - `apps.<app>.<endpoint>.{latency.mean,latency.upper_90,requests}`: request timings and rates.
 * - `counters.<name>.total`: monotonic counters that reset to zero now and then (nonNegativeDerivative, perSecond).
 * - `gaps.*`: missing points in every pattern: alternate points, a two-hour hole, random 30 %, only the first day,
 *   only every sixth point, nothing at all in the last day, a single point.
 * - `misc.*`: a sine wave through zero, constant zero and one, a step function, negative values, and
 *   `misc.natural.n{1,2,10,21}` for natural sorting.
 * - tagged: `disk.used;dc=..;host=..;disk=..`, `http.requests;app=..;status=..;env=..`,
 *   `temperature;room=..;sensor=..` (some without a `sensor` tag).
 */
import type { SeriesData } from './graphite-web';
import { mulberry32 } from '../helpers/mulberry32';

export const STEP = 10;
export const FIXTURE_SECONDS = 2 * 86400;

/** A stable seed from a name (FNV-1a), so that adding a series does not change the others. */
function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const round = (v: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
};

export const DCS = ['dc1', 'dc2'];
export const HOSTS_PER_DC = 6;
export const APPS = ['web', 'api', 'auth'];
export const ENDPOINTS = ['login', 'search', 'checkout', 'health'];

export function hostNames(): Array<{ dc: string; host: string }> {
  const out: Array<{ dc: string; host: string }> = [];
  for (const dc of DCS) {
    for (let h = 1; h <= HOSTS_PER_DC; h++)
      out.push({ dc, host: `${dc === 'dc1' ? 'web' : 'db'}${String(h).padStart(2, '0')}` });
  }
  return out;
}

/**
 * Every fixture series, with points from `end - FIXTURE_SECONDS` to `end - STEP`. `end` must be a multiple of 60.
 */
export function buildFixture(end: number): SeriesData[] {
  if (end % 60 !== 0) throw new Error('the fixture ends on a minute');
  const start = end - FIXTURE_SECONDS;
  const n = FIXTURE_SECONDS / STEP;
  const series: SeriesData[] = [];
  const add = (path: string, gen: (i: number, t: number, r: () => number) => number | null): void => {
    const r = mulberry32(seedOf(path));
    const values = new Array<number | null>(n);
    for (let i = 0; i < n; i++) values[i] = gen(i, start + i * STEP, r);
    series.push({ path, start, step: STEP, values });
  };
  const dayPhase = (t: number): number => Math.sin((2 * Math.PI * (t % 86400)) / 86400);

  for (const { dc, host } of hostNames()) {
    const p = `servers.${dc}.${host}`;
    const base = 10 + (seedOf(p) % 40);
    add(`${p}.cpu.user`, (_i, t, r) => round(Math.max(0, base + 15 * dayPhase(t) + 10 * r()), 2));
    add(`${p}.cpu.system`, (_i, t, r) => round(base / 4 + 3 * dayPhase(t) + 4 * r(), 2));
    add(`${p}.cpu.iowait`, (_i, _t, r) => round(r() < 0.9 ? 2 * r() : 20 + 30 * r(), 2));
    add(`${p}.cpu.idle`, (_i, t, r) => round(Math.max(0, 100 - base - 15 * dayPhase(t) - 12 * r()), 2));
    const total = 16 * 2 ** 30;
    let used = total * (0.3 + (seedOf(p) % 30) / 100);
    add(`${p}.memory.used`, (_i, _t, r) => {
      used = Math.min(total * 0.95, Math.max(total * 0.1, used + (r() - 0.5) * 64 * 2 ** 20));
      return Math.round(used);
    });
    add(`${p}.memory.free`, (_i, _t, r) => Math.round(total * 0.2 + r() * 2 ** 30));
    for (const dev of ['sda', 'sdb']) {
      for (const op of ['reads', 'writes']) {
        let c = seedOf(`${p}.${dev}.${op}`) % 100000;
        add(`${p}.disk.${dev}.${op}`, (_i, _t, r) => (c += Math.floor(r() * (op === 'reads' ? 500 : 200))));
      }
    }
    add(`${p}.load.shortterm`, (_i, t, r) => round(Math.max(0, 1 + dayPhase(t) + 2 * r()), 2));
    add(`${p}.load.longterm`, (_i, t) => round(1.5 + dayPhase(t), 3));
  }

  for (const app of APPS) {
    for (const ep of ENDPOINTS) {
      const p = `apps.${app}.${ep}`;
      const scale = ep === 'health' ? 2 : ep === 'search' ? 120 : 40;
      add(`${p}.latency.mean`, (_i, t, r) => round(scale * (1 + 0.3 * dayPhase(t) + 0.4 * r()), 3));
      add(`${p}.latency.upper_90`, (_i, t, r) => round(scale * (2 + 0.5 * dayPhase(t) + 2 * r()), 3));
      add(`${p}.requests`, (_i, t, r) => round((ep === 'health' ? 1 : 50) * (2 + dayPhase(t) + r()), 1));
    }
  }

  for (const name of ['jobs', 'bytes_in', 'bytes_out', 'errors', 'logins', 'orders', 'retries', 'evictions']) {
    let c = 0;
    add(`counters.${name}.total`, (_i, _t, r) => {
      if (r() < 0.002) c = 0; // a restart
      c += Math.floor(r() * (name.startsWith('bytes') ? 100000 : 50));
      return c;
    });
  }

  add('gaps.alternate.value', (i, _t, r) => (i % 2 === 0 ? round(100 * r(), 2) : null));
  add('gaps.hole.value', (i, t, r) =>
    t >= end - 5 * 3600 && t < end - 3 * 3600 ? null : round(10 + i / 100 + r(), 2)
  );
  add('gaps.random.value', (_i, _t, r) => (r() < 0.3 ? null : round(50 * r(), 2)));
  add('gaps.firstday.value', (_i, t, r) => (t < start + 86400 ? round(5 * r(), 3) : null));
  add('gaps.sparse.value', (i, _t, r) => (i % 6 === 0 ? round(1000 * r(), 1) : null));
  add('gaps.empty.value', (_i, t, r) => (t < end - 86400 ? round(r(), 3) : null));
  add('gaps.single.value', (i) => (i === n - 361 ? 42 : null));
  add('gaps.tail.value', (_i, t, r) => (t < end - 1800 ? round(20 * r(), 2) : null));

  add('misc.wave.sine', (_i, t) => round(10 * Math.sin((2 * Math.PI * t) / 3600), 4));
  add('misc.wave.negative', (_i, t, r) => round(-5 - 10 * r() + dayPhase(t), 3));
  add('misc.constant.zero', () => 0);
  add('misc.constant.one', () => 1);
  add('misc.step.level', (_i, t) => (Math.floor(t / 1800) % 3) * 10);
  for (const n of [1, 2, 10, 21]) add(`misc.natural.n${n}`, (i) => n + (i % 7));

  let k = 0;
  for (const { dc, host } of hostNames()) {
    for (const disk of ['sda', 'sdb']) {
      const fill = 20 + (k++ % 7) * 10;
      add(`disk.used;dc=${dc};host=${host};disk=${disk}`, (_i, t, r) => round(fill + 5 * dayPhase(t) + r(), 2));
    }
  }
  for (const app of APPS) {
    for (const status of ['2xx', '4xx', '5xx']) {
      for (const env of ['prod', 'staging']) {
        const scale = (status === '2xx' ? 100 : status === '4xx' ? 10 : 1) * (env === 'prod' ? 5 : 1);
        add(`http.requests;app=${app};status=${status};env=${env}`, (_i, t, r) =>
          round(scale * (1 + 0.5 * dayPhase(t) + r()), 2)
        );
      }
    }
  }
  for (const room of ['lab', 'office', 'server-room']) {
    for (const sensor of ['a', 'b']) {
      add(`temperature;room=${room};sensor=${sensor}`, (_i, t, r) => round(21 + 3 * dayPhase(t) + r(), 2));
    }
  }
  add('temperature;room=hall', (_i, t, r) => round(18 + 2 * dayPhase(t) + r(), 2));
  return series;
}
