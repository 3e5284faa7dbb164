// Recorded by tests/browser/record-fixtures.ts from the worker: run it again rather than editing this file.
export const recording = {
  request: { method: 'GET', path: '/graphite/metrics/find?query=*' },
  status: 200,
  body: [
    { text: 'servers', id: 'servers', allowChildren: 1, expandable: 1, leaf: 0 },
    { text: 'stats', id: 'stats', allowChildren: 1, expandable: 1, leaf: 0 },
  ],
};
