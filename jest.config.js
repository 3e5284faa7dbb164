// Worker code and suites run in Node; the plugin runs in jsdom with Grafana's scaffolded config.
process.env.TZ = 'UTC';

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
  ],
};
