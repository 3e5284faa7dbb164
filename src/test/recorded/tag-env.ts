// Recorded by tests/browser/record-fixtures.ts from the worker: run it again rather than editing this file.
export const recording = {
  request: { method: 'GET', path: '/graphite/tags/env' },
  status: 200,
  body: { tag: 'env', values: [{ value: 'prod', count: 84 }] },
};
