import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Stryker's sandbox (a copy of the repository) and its reports are never tests nor modules of this run.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/.stryker-tmp/', '<rootDir>/reports/'],
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // jose (the independent JOSE verifier of the tests) ships ES modules only: compiled to CommonJS here.
    '/node_modules/jose/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  collectCoverageFrom: ['src/**/*.ts'],
  coverageThreshold: { global: { lines: 90, branches: 90 } },
  testTimeout: 20_000,
  // Obtains a real redis-server for the Redis tests (installs it once where root and apt-get allow).
  globalSetup: '<rootDir>/__tests__/setup/global-setup.ts',
  // Node 20 can orphan a diagnostics channel's subscriber across test files: see the file.
  setupFiles: ['<rootDir>/__tests__/setup/pin-channels.ts'],
};

export default config;
