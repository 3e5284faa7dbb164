// Recorded by tests/browser/record-fixtures.ts from the worker: run it again rather than editing this file.
export const recording = {
  request: { method: 'GET', path: '/graphite/metrics/find?query=servers.web1.*' },
  status: 200,
  body: [
    { text: 'cpu', id: 'servers.web1.cpu', allowChildren: 1, expandable: 1, leaf: 0 },
    { text: 'disk', id: 'servers.web1.disk', allowChildren: 1, expandable: 1, leaf: 0 },
    { text: 'load', id: 'servers.web1.load', allowChildren: 1, expandable: 1, leaf: 0 },
    { text: 'memory', id: 'servers.web1.memory', allowChildren: 1, expandable: 1, leaf: 0 },
    { text: 'network', id: 'servers.web1.network', allowChildren: 1, expandable: 1, leaf: 0 },
  ],
};
