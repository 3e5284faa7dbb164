// Recorded by tests/browser/record-fixtures.ts from the worker: run it again rather than editing this file.
export const recording = {
  request: {
    method: 'GET',
    path: '/api/v1/inventory/values?entity=servers&field=hostname&filter=environment=production',
  },
  status: 200,
  body: { values: ['web1.example.net', 'web2.example.net'] },
};
