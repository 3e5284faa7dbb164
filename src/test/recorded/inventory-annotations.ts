// Recorded by tests/browser/record-fixtures.ts from the worker: run it again rather than editing this file.
export const recording = {
  request: {
    method: 'GET',
    path: '/api/v1/inventory/annotations?entity=server:web1.example.net&entity=server:web2.example.net&from=1795337047&until=1795337407&tags=note',
  },
  status: 200,
  body: {
    annotations: [
      {
        time: 1795337316.366,
        title: 'Note on server:web1.example.net by browser-tests',
        text: 'Replaced the disk in bay 2',
        tags: ['inventory', 'note', 'server'],
        entity: 'server:web1.example.net',
      },
      {
        time: 1795337316.369,
        title: 'Note on server:web2.example.net by browser-tests',
        text: 'Kernel 6.1.0-28, rebooted',
        tags: ['inventory', 'note', 'server'],
        entity: 'server:web2.example.net',
      },
    ],
  },
};
