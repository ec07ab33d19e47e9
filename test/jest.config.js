/**
 * End-to-end tests: they start the built server as its own process (as `npm start` does) and
 * drive it over HTTP, Socket.IO and a real Chromium. Run in band: each test owns whole servers.
 * lint/ proves the import boundaries of eslint.config.mjs.
 * `npm test` passes --forceExit: a test that fails half-way and leaves a timer or socket open
 * (CI once waited 75 minutes on one) must not keep the run from reporting; Jest says when it forces.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/e2e', '<rootDir>/lint'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  testTimeout: 120000,
};
