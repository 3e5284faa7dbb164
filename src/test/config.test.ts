/**
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import Ajv from 'ajv';
import { parse } from 'yaml';

import { API_PATHS } from '../shared/api';
import { ROUTES } from '../constants';

/**
 * The plugin's metadata and everything that refers to it: both plugin.json files against Grafana's published schema,
 * and the provisioning files and docker-compose.yaml against the plugin ids, the worker's address and the environment
 * Grafana runs with. A renamed id, port or variable breaks here rather than in a Grafana that silently skips it.
 */

// A test of files, not of the browser: the docblock above makes jsdom resolve packages as Node does (yaml's browser
// build is an ES module that the test transform leaves alone).
const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const yamlFile = (path: string) => parse(read(path));

const appJson = JSON.parse(read('src/plugin.json'));
const datasourceJson = JSON.parse(read('src/datasource/plugin.json'));
const packageJson = JSON.parse(read('package.json'));
const compose = yamlFile('docker-compose.yaml');
const grafana = compose.services.grafana;
const worker = compose.services.worker;

/** Where docker-compose puts the repository's provisioning/ folder in the Grafana container. */
const provisioningMount = (grafana.volumes as string[])
  .map((volume) => volume.split(':'))
  .find(([from]) => from === './provisioning')?.[1];

/** Grafana's provisioning files, as docker-compose mounts them (the worker's own folder, mission-control/, apart). */
function grafanaProvisioningFiles(kind: string): string[] {
  const dir = join(ROOT, 'provisioning', kind);
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => `provisioning/${kind}/${name}`);
}

const provisionedDatasources: Array<{ uid: string; type: string; url?: string; jsonData?: Record<string, string> }> =
  grafanaProvisioningFiles('datasources').flatMap((file) => yamlFile(file).datasources);
const datasourceByUid = new Map(provisionedDatasources.map((ds) => [ds.uid, ds]));

describe('plugin.json', () => {
  // The schema declares `format: email` and `format: uri`; Ajv knows formats only through a plugin, and no value of
  // ours has either format, so format checks are off rather than a dependency added. Its patterns escape `-` outside
  // brackets, which JSON Schema's regex dialect allows and JavaScript's unicode mode does not.
  const validate = new Ajv({ strict: false, validateFormats: false, unicodeRegExp: false }).compile(
    JSON.parse(read('tests/fixtures/grafana/plugin.schema.json'))
  );

  it.each([
    ['the app', appJson],
    ['the data source', datasourceJson],
  ])('of %s is valid under Grafana’s published schema', (_name, pluginJson) => {
    expect(validate(pluginJson) ? [] : validate.errors).toEqual([]);
  });

  it('is checked for real: a plugin.json Grafana would refuse fails', () => {
    expect(validate({ ...appJson, id: 'Mission Control' })).toBe(false);
    expect(validate({ ...datasourceJson, routes: [{ path: 'worker', header: [] }] })).toBe(false);
  });

  it('declares the nested data source in the app’s includes, by its name', () => {
    expect(appJson.includes).toContainEqual({ type: 'datasource', name: datasourceJson.name });
    expect(datasourceJson.id).toMatch(/-datasource$/);
    expect(appJson.id).toMatch(/-app$/);
  });

  it('puts the Overview and the Configuration page in the app’s navigation, the Overview first', () => {
    const pages = appJson.includes.filter((include: { type: string }) => include.type === 'page');

    expect(pages[0]).toMatchObject({
      name: 'Overview',
      path: `/a/%PLUGIN_ID%/${ROUTES.overview}`,
      addToNav: true,
      defaultNav: true,
    });
    expect(pages).toContainEqual(
      expect.objectContaining({ name: 'Configuration', path: '/plugins/%PLUGIN_ID%', role: 'Admin', addToNav: true })
    );
  });

  it('asks for the Grafana major the @grafana packages are from, and the compose file runs such a Grafana', () => {
    const range = appJson.dependencies.grafanaDependency;
    const minimum = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(range)?.slice(1).map(Number);
    const versionOf = (text: string) => /(\d+)\.(\d+)\.(\d+)/.exec(text)?.slice(1).map(Number) ?? [];
    const atLeast = (version: number[], min: number[]) => {
      const i = version.findIndex((part, j) => part !== min[j]);
      return i < 0 || version[i] > min[i];
    };
    const packages = ['@grafana/data', '@grafana/runtime', '@grafana/ui'].map((name) => packageJson.dependencies[name]);
    const image = versionOf(grafana.image);

    expect(datasourceJson.dependencies.grafanaDependency).toBe(range);
    expect(minimum).toHaveLength(3);
    for (const version of packages) {
      expect(versionOf(version)[0]).toBe(minimum![0]);
    }
    expect(grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(atLeast(image, minimum!)).toBe(true);
  });

  it('routes the data source’s requests to its worker URL with the key from secureJsonData', () => {
    expect(datasourceJson.routes).toEqual([
      {
        path: 'worker',
        url: '{{ .JsonData.url }}',
        headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiKey }}' }],
      },
    ]);
  });
});

describe('docker-compose.yaml', () => {
  const workerPort = /--http 0\.0\.0\.0:(\d+)/.exec(worker.command)?.[1];

  it('mounts the built plugin where Grafana looks for the app, and lets Grafana load both unsigned plugins', () => {
    expect(grafana.volumes).toContain(`./dist:/var/lib/grafana/plugins/${appJson.id}`);
    expect(grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',').sort()).toEqual(
      [appJson.id, datasourceJson.id].sort()
    );
    expect(provisioningMount).toBe('/etc/grafana/provisioning');
  });

  it('publishes the worker’s listeners and points Grafana at its HTTP port by its service name', () => {
    expect(workerPort).toBe('8686');
    expect(worker.ports).toEqual(expect.arrayContaining([`${workerPort}:${workerPort}`, '8125:8125/udp', '2003:2003']));
    expect(grafana.environment.MISSION_CONTROL_URL).toBe(`http://worker:${workerPort}`);
    expect(grafana.environment.MISSION_CONTROL_API_KEY).toBe('${MISSION_CONTROL_API_KEY:-}');
  });

  it('keeps the worker’s data on a volume and checks its readiness on the same port', () => {
    expect(worker.volumes).toContain('worker-data:/data');
    expect(worker.command).toContain('--data-dir /data');
    expect(worker.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${workerPort}${API_PATHS.ready}`);
  });
});

describe('Grafana provisioning', () => {
  it('uses only environment variables that docker-compose gives Grafana', () => {
    const files = ['datasources', 'plugins', 'dashboards', 'alerting'].flatMap(grafanaProvisioningFiles);
    const used = new Set(files.flatMap((file) => [...read(file).matchAll(/\$\{(\w+)\}/g)].map((m) => m[1])));

    expect([...used].filter((name) => !(name in grafana.environment))).toEqual([]);
  });

  it('provisions the Mission Control data source with the worker URL and key from the environment', () => {
    expect(datasourceByUid.get('missioncontrol')).toEqual(
      expect.objectContaining({
        type: datasourceJson.id,
        access: 'proxy',
        jsonData: { url: '${MISSION_CONTROL_URL}' },
        secureJsonData: { apiKey: '${MISSION_CONTROL_API_KEY}' },
      })
    );
  });

  it('points Grafana’s built-in Graphite data source at the worker’s Graphite API, with the key as a header', () => {
    const graphite = datasourceByUid.get('missioncontrol-graphite');

    expect(graphite).toEqual(
      expect.objectContaining({
        type: 'graphite',
        url: `${grafana.environment.MISSION_CONTROL_URL}${API_PATHS.graphite}`,
        jsonData: expect.objectContaining({ graphiteVersion: '1.1', httpHeaderName1: 'Authorization' }),
        secureJsonData: { httpHeaderValue1: 'Bearer ${MISSION_CONTROL_API_KEY}' },
      })
    );
  });

  it('enables the app and points it at the provisioned Mission Control data source', () => {
    const [app] = yamlFile('provisioning/plugins/apps.yaml').apps;

    expect(app).toMatchObject({ type: appJson.id, disabled: false });
    expect(datasourceByUid.get(app.jsonData.datasourceUid)?.type).toBe(datasourceJson.id);
  });

  describe('dashboards', () => {
    const providers = grafanaProvisioningFiles('dashboards').flatMap((file) => yamlFile(file).providers);
    const dashboards = providers.flatMap((provider: { options: { path: string } }) => {
      const relative = provider.options.path.slice(`${provisioningMount}/`.length);
      const dir = join(ROOT, 'provisioning', relative);
      return existsSync(dir)
        ? readdirSync(dir)
            .filter((name) => name.endsWith('.json'))
            .map((name) => ({ name, json: JSON.parse(readFileSync(join(dir, name), 'utf8')) }))
        : [];
    });

    it('loads them from the mounted provisioning folder', () => {
      expect(providers.length).toBeGreaterThan(0);
      for (const provider of providers) {
        expect(provider.options.path.startsWith(`${provisioningMount}/`)).toBe(true);
      }
      expect(dashboards.map((d) => d.name).sort()).toEqual(['demo-app.json', 'worker.json']);
    });

    it('refer only to provisioned data sources, by uid and type', () => {
      const refs: Array<{ uid: string; type: string }> = [];
      const collect = (node: unknown) => {
        if (Array.isArray(node)) {
          node.forEach(collect);
        } else if (node && typeof node === 'object') {
          const { datasource } = node as { datasource?: { uid: string; type: string } };
          if (datasource?.uid && datasource.type !== 'grafana') {
            refs.push(datasource);
          }
          Object.values(node).forEach(collect);
        }
      };
      dashboards.forEach((d) => collect(d.json));

      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        expect(datasourceByUid.get(ref.uid)?.type).toBe(ref.type);
      }
    });

    it('have unique uids', () => {
      const uids = dashboards.map((d) => d.json.uid);
      expect(new Set(uids).size).toBe(uids.length);
    });
  });

  it('points Grafana-managed alert rules at provisioned data sources', () => {
    const rules = grafanaProvisioningFiles('alerting').flatMap((file) =>
      (yamlFile(file).groups ?? []).flatMap((group: { rules: unknown[] }) => group.rules)
    );
    const uids = rules
      .flatMap((rule) => (rule as { data: Array<{ datasourceUid: string }> }).data)
      .map((query) => query.datasourceUid)
      .filter((uid) => uid !== '__expr__');

    expect(uids.every((uid) => datasourceByUid.has(uid))).toBe(true);
  });
});
