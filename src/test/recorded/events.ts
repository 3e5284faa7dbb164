// Recorded by tests/browser/record-fixtures.ts from the worker: run it again rather than editing this file.
export const recording = {
  request: { method: 'GET', path: '/api/v1/events?from=1795329061&until=1795329421&tags=shop' },
  status: 200,
  body: {
    events: [
      {
        id: 1,
        when: 1795329344.999,
        what: 'deploy shop 1.4.2',
        tags: ['deploy', 'shop'],
        data: 'by ana: checkout retries',
      },
      {
        id: 2,
        when: 1795329345.002,
        what: 'DNS: shop.example.com now CNAME lb2.example.com',
        tags: ['dns', 'shop'],
        data: 'hostmaster ticket 812',
      },
    ],
  },
};
