// Recorded by tests/browser/record-fixtures.ts from the worker: run it again rather than editing this file.
export const recording = {
  request: { method: 'POST', path: '/api/v1/query', body: { targets: 'servers.*' } },
  status: 400,
  body: { error: 'targets must be an array', field: 'targets' },
};
