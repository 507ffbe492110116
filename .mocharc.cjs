// Shared mocha settings: TypeScript runs through tsx, every suite is bounded in time. The spec globs are given
// on the command line (Makefile, package.json), because mocha merges a `spec` here with the command line's.
module.exports = {
  'node-option': ['import=tsx'],
  timeout: 20000,
  exit: true,
  reporter: 'spec',
};
