// One mocha configuration for every suite: TypeScript runs through tsx, and each suite is bounded in time.
module.exports = {
  'node-option': ['import=tsx'],
  spec: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
  timeout: 20000,
  exit: true,
  reporter: 'spec',
};
