/**
 * One jest run: unit specs next to the code, e2e specs against a fresh PostgreSQL database (test/global-setup.ts).
 * NestJS 12 ships as ES modules, which jest on Node 20 can only load in its native ESM mode
 * (`--experimental-vm-modules`, set by the npm scripts), so test code is compiled to ESM here while the build stays
 * CommonJS (Node >= 20.19 requires ES modules natively).
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
  testTimeout: 60000,
};
