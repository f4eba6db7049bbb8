import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  collectCoverageFrom: ['src/**/*.ts'],
  coverageThreshold: { global: { lines: 90, branches: 90 } },
  testTimeout: 20_000,
  // Obtains a real redis-server for the Redis tests (installs it once where root and apt-get allow).
  globalSetup: '<rootDir>/__tests__/setup/global-setup.ts',
};

export default config;
