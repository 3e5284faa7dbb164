// Recorded by tests/browser/record-fixtures.ts from the worker: run it again rather than editing this file.
export const recording = {
  request: { method: 'GET', path: '/graphite/metrics/find?query=servers.*' },
  status: 200,
  body: [
    { text: 'db1', id: 'servers.db1', allowChildren: 1, expandable: 1, leaf: 0 },
    { text: 'web1', id: 'servers.web1', allowChildren: 1, expandable: 1, leaf: 0 },
    { text: 'web2', id: 'servers.web2', allowChildren: 1, expandable: 1, leaf: 0 },
    { text: 'web3', id: 'servers.web3', allowChildren: 1, expandable: 1, leaf: 0 },
  ],
};
