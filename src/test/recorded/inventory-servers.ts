// Recorded by tests/browser/record-fixtures.ts from the worker: run it again rather than editing this file.
export const recording = {
  request: { method: 'GET', path: '/api/v1/inventory/servers' },
  status: 200,
  body: {
    items: [
      {
        id: 3,
        entity: 'server:db1.example.net',
        hostname: 'db1.example.net',
        environment: 'staging',
        status: 'active',
        addresses: [],
        contacts: [],
      },
      {
        id: 1,
        entity: 'server:web1.example.net',
        hostname: 'web1.example.net',
        environment: 'production',
        status: 'active',
        addresses: [],
        contacts: [],
      },
      {
        id: 2,
        entity: 'server:web2.example.net',
        hostname: 'web2.example.net',
        environment: 'production',
        status: 'active',
        addresses: [],
        contacts: [],
      },
    ],
  },
};
