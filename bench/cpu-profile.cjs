/**
 * Preload (`NODE_OPTIONS=--require bench/cpu-profile.cjs`) that CPU-profiles a process from start to exit and writes
 * `<BENCH_CPU_PROF_DIR>/<pid>.cpuprofile` (V8's format, as `node --cpu-prof` writes, which NODE_OPTIONS may not carry).
 * The in-process inspector session answers synchronously, so the profile is written even from an 'exit' handler.
 */
'use strict';
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (!err) {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
      }
    });
  });
}
