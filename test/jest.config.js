/**
 * End-to-end tests: they start the built server as its own process (as `npm start` does) and
 * drive it over HTTP, Socket.IO and a real Chromium. Run in band: each test owns whole servers.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/e2e'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  testTimeout: 120000,
};
