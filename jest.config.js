// Worker code and suites run in Node; the plugin runs in jsdom with Grafana's scaffolded config.
process.env.TZ = 'UTC';

const grafanaPluginConfig = require('./.config/jest.config');

const grafanaTransform = grafanaPluginConfig.transform['^.+\\.(t|j)sx?$'];

const swc = [
  '@swc/jest',
  { sourceMaps: 'inline', jsc: { parser: { syntax: 'typescript', tsx: false }, target: 'es2022' } },
];

module.exports = {
  projects: [
    {
      displayName: 'worker',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/src/worker/**/*.test.ts', '<rootDir>/src/shared/**/*.test.ts'],
      transform: { '^.+\\.ts$': swc },
    },
    {
      displayName: 'suites',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/*.test.ts', '<rootDir>/tests/alerting/*.test.ts'],
      transform: { '^.+\\.ts$': swc },
      slowTestThreshold: 120,
    },
    {
      // Differential suite against graphite-web 1.1.8: tests/compat/run.sh installs it and runs this project. It
      // needs Debian packages and minutes, so it runs only when selected by name (`--selectProjects compat`), not
      // in a plain `jest` / `npm test`.
      displayName: 'compat',
      testEnvironment: 'node',
      testMatch: process.argv.includes('compat') ? ['<rootDir>/tests/compat/**/*.test.ts'] : ['<rootDir>/.compat-only'],
      transform: { '^.+\\.ts$': swc },
      slowTestThreshold: 300,
    },
    {
      // Alerting against a real Alertmanager 0.25: tests/alerting/run.sh installs it and runs this project, which
      // runs only when selected by name (`--selectProjects alerting-peers`), never in a plain `npm test`.
      displayName: 'alerting-peers',
      testEnvironment: 'node',
      testMatch: process.argv.includes('alerting-peers')
        ? ['<rootDir>/tests/alerting/peers/*.test.ts']
        : ['<rootDir>/.alerting-peers-only'],
      transform: { '^.+\\.ts$': swc },
      slowTestThreshold: 120,
    },
    {
      ...grafanaPluginConfig,
      displayName: 'plugin',
      testMatch: [
        '<rootDir>/src/**/*.test.tsx',
        '<rootDir>/src/{api,datasource,components,pages,shared,test}/**/*.test.ts',
      ],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/worker/'],
      transform: {
        ...grafanaPluginConfig.transform,
        // Grafana's dependencies ship ES modules as .mjs (d3-color and others), which the scaffold's pattern misses.
        '^.+\\.mjs$': grafanaTransform,
      },
    },
  ],
};
