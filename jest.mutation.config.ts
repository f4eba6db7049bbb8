/**
 * Jest config for mutation testing only (stryker.config.json; `npm test` keeps jest.config.ts):
 * - `src` among the roots, so jest's related-tests lookup follows imports through src/index.ts and a
 *   mutant is tested by the tests that reach its file, not only by those importing it directly;
 * - the two type-checking test files left out: they compile src with the TypeScript compiler, and
 *   Stryker's sandbox (instrumented code, `// @ts-nocheck` headers) is not meant to compile;
 * - the environment, sequencer and runner of scripts/mutation: per mutant, only the test files
 *   holding its covering tests, and the run stops at the first failing file.
 */
import * as path from 'node:path';
import type { Config } from 'jest';
import base from './jest.config';

const here = (file: string) => path.join(__dirname, 'scripts', 'mutation', file);

const config: Config = {
  ...base,
  roots: ['<rootDir>/src', '<rootDir>/__tests__'],
  testPathIgnorePatterns: [
    ...(base.testPathIgnorePatterns ?? []),
    '<rootDir>/__tests__/types.test.ts',
    '<rootDir>/__tests__/option-keys.test.ts',
  ],
  testEnvironment: here('environment.cjs'),
  testSequencer: here('sequencer.cjs'),
  runner: here('runner.cjs'),
  collectCoverage: false,
  coverageThreshold: undefined,
};

export default config;
