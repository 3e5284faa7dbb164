/**
 * A page that runs the plugin's real editors and app pages outside Grafana, for the browser tests: Grafana's theme and
 * global styles, its runtime services replaced by small real ones (BackendSrv over fetch, through the local proxy that
 * plays Grafana's data source proxy), and a panel-like harness that runs queries as a panel would.
 *
 * Views, by `?view=`: query (the query editor and the panel's results), variable, annotation, overview, config,
 * alerts and inventory (the app's pages, routed as App.tsx routes them). `?target=` starts the query editor with a
 * target; `?at=` opens an app view at a sub-path, such as `rules/new` or `silences` of the Alerts pages.
 */
import React, { useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { lastValueFrom } from 'rxjs';
import { MemoryRouter, Route, Routes, useNavigate } from 'react-router-dom';
import {
  createTheme,
  dateTime,
  LoadingState,
  PluginType,
  type AnnotationEvent,
  type AnnotationQuery,
  type AppPluginMeta,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  type PanelData,
  type ScopedVars,
} from '@grafana/data';
import {
  setBackendSrv,
  setDataSourceSrv,
  setTemplateSrv,
  type DataSourceSrv,
  type TemplateSrv,
} from '@grafana/runtime';
import { GlobalStyles, ThemeContext } from '@grafana/ui';

import AppConfig, { type AppConfigProps, type AppSettings } from '../../../src/components/AppConfig/AppConfig';
import { AnnotationQueryEditor } from '../../../src/datasource/components/AnnotationQueryEditor';
import { QueryEditor } from '../../../src/datasource/components/QueryEditor';
import { VariableQueryEditor } from '../../../src/datasource/components/VariableQueryEditor';
import { MissionControlDataSource } from '../../../src/datasource/datasource';
import pluginJson from '../../../src/datasource/plugin.json';
import type {
  MissionControlOptions,
  MissionControlQuery,
  MissionControlVariableQuery,
} from '../../../src/datasource/types';
import { Alerts } from '../../../src/pages/Alerts/Alerts';
import { alertsUrl } from '../../../src/pages/Alerts/paths';
import { Inventory } from '../../../src/pages/Inventory/Inventory';
import { INVENTORY_URL } from '../../../src/pages/Inventory/paths';
import { Overview } from '../../../src/pages/Overview/Overview';
import { fetchBackendSrv } from './backendSrv';
import { Results } from './Results';

/** The provisioned data source's uid, which the local proxy forwards to the worker. */
const UID = 'missioncontrol';

const settings: DataSourceInstanceSettings<MissionControlOptions> = {
  uid: UID,
  name: 'Mission Control',
  type: pluginJson.id,
  access: 'proxy',
  readOnly: false,
  jsonData: { url: 'http://worker:8686' },
  meta: { id: pluginJson.id, name: pluginJson.name, type: PluginType.datasource } as DataSourceInstanceSettings['meta'],
};
const datasource = new MissionControlDataSource(settings);

/** Dashboard variables of the page, as Grafana's template service would hold them. */
const variables: ScopedVars = { host: { text: 'web1', value: 'web1' } };

setBackendSrv(fetchBackendSrv());
setDataSourceSrv({
  getList: () => [settings],
  getInstanceSettings: () => settings,
  get: async () => datasource,
} as unknown as DataSourceSrv);
setTemplateSrv({
  replace: (text = '', scoped: ScopedVars = {}) =>
    text.replace(/\$\{?(\w+)\}?/g, (match, name: string) => String({ ...variables, ...scoped }[name]?.value ?? match)),
  getVariables: () => [],
} as unknown as TemplateSrv);

const params = new URLSearchParams(window.location.search);
const RANGE_MINUTES = 15;

function request<Q extends MissionControlQuery | MissionControlVariableQuery>(targets: Q[]): DataQueryRequest<Q> {
  const to = dateTime();
  const from = dateTime(to.valueOf() - RANGE_MINUTES * 60_000);
  return {
    requestId: 'browser-test',
    app: 'dashboard',
    targets,
    range: { from, to, raw: { from: `now-${RANGE_MINUTES}m`, to: 'now' } },
    timezone: 'browser',
    interval: '10s',
    intervalMs: 10_000,
    maxDataPoints: 300,
    scopedVars: { __interval: { text: '10s', value: '10s' }, __interval_ms: { text: '10000', value: 10_000 } },
    startTime: Date.now(),
  } as unknown as DataQueryRequest<Q>;
}

/** The query editor above the panel's results, run the way a panel runs it. */
function QueryView() {
  const [query, setQuery] = useState<MissionControlQuery>({
    refId: 'A',
    queryType: 'metrics',
    target: params.get('target') ?? '',
    editorMode: 'builder',
  });
  const latest = useRef(query);
  const [data, setData] = useState<PanelData>();
  const run = async () => {
    const req = request([latest.current]);
    const timeRange = req.range;
    try {
      const response = await datasource.query(req);
      setData({
        state: response.errors ? LoadingState.Error : LoadingState.Done,
        series: response.data,
        errors: response.errors,
        timeRange,
      });
    } catch (err) {
      setData({ state: LoadingState.Error, series: [], errors: [{ message: String(err) }], timeRange });
    }
  };
  return (
    <>
      <QueryEditor
        datasource={datasource}
        query={query}
        data={data}
        onChange={(next) => {
          latest.current = next;
          setQuery(next);
        }}
        onRunQuery={run}
      />
      <Results data={data} />
    </>
  );
}

function VariableView() {
  const [query, setQuery] = useState<MissionControlVariableQuery>({ refId: 'v', type: 'metrics', query: 'servers.*' });
  return <VariableQueryEditor datasource={datasource} query={query} onChange={setQuery} onRunQuery={() => undefined} />;
}

/** The annotation editor above the annotations it finds, run and turned into annotations as a dashboard does. */
function AnnotationView() {
  const [annotation, setAnnotation] = useState<AnnotationQuery<MissionControlQuery>>({
    name: 'Deploys',
    enable: true,
    iconColor: 'orange',
    target: { refId: 'Anno', queryType: 'events', tags: ['shop'] },
  });
  // The editor runs the query right after a change, before React has rendered the changed annotation.
  const latest = useRef(annotation);
  const [events, setEvents] = useState<AnnotationEvent[]>();
  const run = async () => {
    const response = await datasource.query(request([latest.current.target!]));
    setEvents(await lastValueFrom(datasource.annotations!.processEvents!(latest.current, response.data)));
  };
  return (
    <>
      <AnnotationQueryEditor
        datasource={datasource}
        query={annotation.target!}
        annotation={annotation}
        onAnnotationChange={(next) => {
          latest.current = next;
          setAnnotation(next);
        }}
        onChange={() => undefined}
        onRunQuery={run}
      />
      <ul aria-label="Annotations">
        {events?.map((event, i) => (
          <li key={i}>
            {event.title}: {event.text}
          </li>
        ))}
      </ul>
    </>
  );
}

function ConfigView() {
  const props = {
    plugin: {
      meta: {
        id: 'missionctl-missioncontrol-app',
        name: 'Mission Control',
        type: PluginType.app,
        enabled: true,
        pinned: true,
        jsonData: { datasourceUid: UID },
      } as AppPluginMeta<AppSettings>,
    },
    query: {},
  } as unknown as AppConfigProps;
  return <AppConfig {...props} />;
}

/** The Alerts pages mounted where App.tsx mounts them, so that their absolute links (alertsUrl) resolve. */
function AlertsView() {
  return (
    <Routes>
      <Route path={`${alertsUrl.list()}/*`} element={<Alerts settings={{ datasourceUid: UID }} />} />
    </Routes>
  );
}

function InventoryView() {
  return (
    <Routes>
      <Route path={`${INVENTORY_URL}/*`} element={<Inventory settings={{ datasourceUid: UID }} />} />
    </Routes>
  );
}

/**
 * Grafana routes a click on a plain link into the app (a LinkButton's <a href="/a/...">) through its history rather
 * than loading the page again; so does this page, through its router. Router links handle their own clicks.
 */
function InAppLinks() {
  const navigate = useNavigate();
  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      const link = e.target instanceof Element ? e.target.closest('a') : null;
      const href = link?.getAttribute('href');
      if (!href?.startsWith('/a/') || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) {
        return;
      }
      e.preventDefault();
      navigate(href);
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, [navigate]);
  return null;
}

interface View {
  title: string;
  render: () => React.ReactElement;
  /** For app pages: the in-app URL they are mounted at, where the router starts (plus `?at=`). */
  root?: string;
}

const VIEWS: Record<string, View> = {
  query: { title: 'Panel editor: Mission Control query', render: () => <QueryView /> },
  variable: { title: 'Dashboard settings: query variable', render: () => <VariableView /> },
  annotation: { title: 'Dashboard settings: annotation', render: () => <AnnotationView /> },
  overview: { title: 'Mission Control › Overview', render: () => <Overview settings={{ datasourceUid: UID }} /> },
  config: { title: 'Mission Control › Configuration', render: () => <ConfigView /> },
  alerts: { title: 'Mission Control › Alerts', render: () => <AlertsView />, root: alertsUrl.list() },
  inventory: { title: 'Mission Control › Inventory', render: () => <InventoryView />, root: INVENTORY_URL },
};

/** Where the router starts: an app view's root, or `?at=` under it; the root for the other views. */
function initialEntry(view: View): string {
  const at = params.get('at');
  return view.root === undefined ? '/' : at ? `${view.root}/${at}` : view.root;
}

function Page() {
  const theme = useMemo(() => createTheme({ colors: { mode: 'dark' } }), []);
  const view = VIEWS[params.get('view') ?? 'query'] ?? VIEWS.query;
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <MemoryRouter
        initialEntries={[initialEntry(view)]}
        future={{ v7_startTransition: true, v7_relativeSplatPath: true }}
      >
        <InAppLinks />
        <main style={{ padding: theme.spacing(3), maxWidth: 1200 }}>
          <h1 style={{ fontSize: theme.typography.h3.fontSize, marginBottom: theme.spacing(3) }}>{view.title}</h1>
          {view.render()}
        </main>
      </MemoryRouter>
    </ThemeContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(<Page />);
