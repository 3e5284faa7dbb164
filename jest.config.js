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
      testMatch: ['<rootDir>/tests/*.test.ts'],
      transform: { '^.+\\.ts$': swc },
      slowTestThreshold: 120,
    },
    {
      ...grafanaPluginConfig,
      displayName: 'plugin',
      testMatch: ['<rootDir>/src/**/*.test.tsx', '<rootDir>/src/{api,datasource,components,pages,shared}/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/worker/'],
      transform: {
        ...grafanaPluginConfig.transform,
        // Grafana's dependencies ship ES modules as .mjs (d3-color and others), which the scaffold's pattern misses.
        '^.+\\.mjs$': grafanaTransform,
      },
    },
  ],
};
