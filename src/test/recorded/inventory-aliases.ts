// Recorded by tests/browser/record-fixtures.ts from the worker: run it again rather than editing this file.
export const recording = {
  request: { method: 'GET', path: '/api/v1/inventory/aliases' },
  status: 200,
  body: { items: [] },
};
