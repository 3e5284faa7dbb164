// Recorded by tests/browser/record-fixtures.ts from the worker: run it again rather than editing this file.
export const recording = {
  request: { method: 'GET', path: '/graphite/metrics/find?query=*.*.*cpu*&format=completer' },
  status: 200,
  body: {
    metrics: [
      { path: 'servers.db1.cpu.', name: 'cpu', is_leaf: '0' },
      { path: 'servers.web1.cpu.', name: 'cpu', is_leaf: '0' },
      { path: 'servers.web2.cpu.', name: 'cpu', is_leaf: '0' },
      { path: 'servers.web3.cpu.', name: 'cpu', is_leaf: '0' },
    ],
  },
};
