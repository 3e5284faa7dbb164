/**
 * HTTP JSON ingest: samples/s the worker acknowledges (200 after fsync) on POST /api/v1/write.
 *
 * The request bodies are built before the clock starts from the generator's Graphite data (the same fleet):
 * each body holds `seriesPerRequest` series with `pointsPerSeries` consecutive points each. `clients` requests
 * are in flight at any time, as several collectors writing at once would keep them.
 */
import { join } from 'node:path';

import { GraphiteGenerator } from './generator';
import { Contention, HOST, cpuSeconds, log, removeDir, sleep, startWorker, tempDir, waitQuiet } from './procs';

export interface HttpOptions {
  series: number;
  points: number;
  seriesPerRequest: number;
  pointsPerSeries: number;
  clients: number;
  profileDir?: string;
}

export interface HttpResult {
  samples: number;
  requests: number;
  seconds: number;
  samplesPerS: number;
  cpu: number;
  samplesPerRequest: number;
  bodyBytes: number;
  clients: number;
  window: { fromS: number; toS: number };
  profileDir?: string;
  /** CPU other processes on the machine used meanwhile, in cores. */
  othersCores: number;
}

/** Request bodies: for each block of `pointsPerSeries` timestamps, the series in groups of `seriesPerRequest`. */
function buildBodies(opts: HttpOptions, startS: number): Array<{ body: string; samples: number }> {
  const gen = new GraphiteGenerator({ series: opts.series, startS, points: opts.points });
  const bodies: Array<{ body: string; samples: number }> = [];
  while (!gen.done) {
    const points: Array<Array<[number, number]>> = gen.names.map(() => []);
    for (let k = 0; k < opts.pointsPerSeries && !gen.done; k++) {
      // One timestamp per call: every series once, in order.
      const text = gen.next(1)!.toString('latin1');
      let i = 0;
      for (const line of text.split('\n')) {
        if (line === '') {
          continue;
        }
        const a = line.indexOf(' ');
        const b = line.indexOf(' ', a + 1);
        points[i++]!.push([Number(line.slice(b + 1)), Number(line.slice(a + 1, b))]);
      }
    }
    for (let s = 0; s < gen.names.length; s += opts.seriesPerRequest) {
      const items = gen.names
        .slice(s, s + opts.seriesPerRequest)
        .map((name, j) => ({ name, kind: 'gauge', points: points[s + j]! }));
      bodies.push({ body: JSON.stringify(items), samples: items.reduce((n, it) => n + it.points.length, 0) });
    }
  }
  return bodies;
}

export async function runHttp(opts: HttpOptions): Promise<HttpResult> {
  const startS = Math.floor(Date.now() / 1000) - opts.points * 10;
  log(`http: building ${(opts.series * opts.points) / 1e6}M samples of request bodies`);
  const bodies = buildBodies(opts, startS);
  const bodyBytes = bodies.reduce((n, b) => n + b.body.length, 0);
  const dir = tempDir('http');
  const w = await startWorker({ dataDir: join(dir, 'data'), profileDir: opts.profileDir });
  const url = `http://${HOST}:${w.httpPort}/api/v1/write`;
  const headers = { authorization: `Bearer ${w.key}`, 'content-type': 'application/json' };
  await waitQuiet('http');
  const cpu0 = cpuSeconds(w.pid);
  const contention = new Contention();
  const fromS = (Date.now() - w.spawnedAt) / 1000;
  const started = process.hrtime.bigint();
  let next = 0;
  let samples = 0;
  await Promise.all(
    Array.from({ length: opts.clients }, async () => {
      while (next < bodies.length) {
        const b = bodies[next++]!;
        for (;;) {
          const res = await fetch(url, { method: 'POST', headers, body: b.body });
          const text = await res.text();
          if (res.status === 503) {
            await sleep(Number(res.headers.get('retry-after') ?? '1') * 1000);
            continue;
          }
          if (!res.ok) {
            throw new Error(`write failed: ${res.status} ${text.slice(0, 500)}`);
          }
          samples += (JSON.parse(text) as { accepted: number }).accepted;
          break;
        }
      }
    })
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const toS = (Date.now() - w.spawnedAt) / 1000;
  const cpu = (cpuSeconds(w.pid) - cpu0) / seconds;
  const othersCores = contention.othersCores();
  await w.stop();
  removeDir(dir);
  log(
    `http: ${samples} samples in ${seconds.toFixed(2)} s = ${Math.round(samples / seconds)}/s,` +
      ` others ${othersCores.toFixed(2)} cores`
  );
  return {
    samples,
    requests: bodies.length,
    seconds,
    samplesPerS: samples / seconds,
    cpu,
    samplesPerRequest: opts.seriesPerRequest * opts.pointsPerSeries,
    bodyBytes,
    clients: opts.clients,
    window: { fromS, toS },
    profileDir: opts.profileDir,
    othersCores,
  };
}
