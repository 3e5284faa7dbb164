/**
 * Provisioning on SIGHUP: the worker reads its provisioning folder again, shows what changed through the API as
 * provisioned, and keeps the last good set, naming the file and line, when a file is wrong.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { WorkerProcess, assertWorkerBuilt, createApiKey, freeWorkerPorts, httpJson } from '../helpers/worker-process';
import { waitFor } from './receivers';
import { writeWorkerFiles } from './worker-setup';

jest.setTimeout(60_000);

const rules = (uids: string[]) => `
groups:
  - name: g
    interval: 1min
    rules:
${uids.map((u) => `      - { uid: ${u}, title: ${u}, target: a.b, window: 1min, condition: { op: above, threshold: 1 } }`).join('\n')}
`;

describe('provisioning reload', () => {
  let dir: string;
  let worker: WorkerProcess | undefined;

  beforeAll(() => assertWorkerBuilt());
  afterAll(async () => {
    await worker?.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reloads on SIGHUP and keeps the last good rules when a file is wrong', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-reload-'));
    const configFile = writeWorkerFiles(dir, { provisioning: rules(['one']) });
    const dataDir = path.join(dir, 'data');
    const key = createApiKey(dataDir, ['read']);
    worker = await WorkerProcess.start({ dataDir, ports: await freeWorkerPorts(), configFile });
    const uids = async () => {
      const r = await httpJson(worker!.ports.http, 'GET', '/api/v1/alerting/rules', undefined, { key });
      return (r.body as { rules: Array<{ spec: { uid: string }; provisioned: boolean }> }).rules.map(
        (x) => `${x.spec.uid}:${x.provisioned}`
      );
    };
    expect(await uids()).toEqual(['one:true']);

    const file = path.join(dir, 'alerting', 'rules.yaml');
    fs.writeFileSync(file, rules(['one', 'two']));
    worker.signal('SIGHUP');
    await waitFor('the new rule', async () => ((await uids()).length === 2 ? true : undefined));
    expect(await uids()).toEqual(['one:true', 'two:true']);

    fs.writeFileSync(file, rules(['three']).replace('window: 1min', 'window: soon'));
    worker.signal('SIGHUP');
    await waitFor('the refusal in the log', () =>
      worker!.output().includes('alerting provisioning refused') ? true : undefined
    );
    expect(worker.output()).toContain(`${file}:6:`);
    expect(await uids()).toEqual(['one:true', 'two:true']);
  });
});
