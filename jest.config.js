/**
 * One jest run: unit specs next to the code, e2e specs against a fresh PostgreSQL database (test/global-setup.ts).
 * NestJS 12 ships as ES modules, which jest can only load in its native ESM mode: jest builds modules with node:vm's
 * SourceTextModule, still behind `--experimental-vm-modules` on Node 24 (set by the npm scripts; jest 30's
 * require(esm) needs the same API), so test code is compiled to ESM here while the build stays CommonJS (Node 24
 * requires ES modules natively).
 */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: '(src/.*\\.spec|test/e2e/.*\\.e2e-spec)\\.ts$',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, diagnostics: false, tsconfig: { isolatedModules: true, module: 'ESNext', moduleResolution: 'bundler', target: 'ES2022', emitDecoratorMetadata: true, experimentalDecorators: true } },
    ],
  },
  moduleNameMapper: { '^src/(.*)$': '<rootDir>/src/$1', '^migrations$': '<rootDir>/migrations/index.ts' },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // A ceiling, not a target: the suite must pass on a loaded 2-core machine, where one heavy test can take minutes.
  testTimeout: 600_000,
};
