/**
 * Jest config for mutation testing only (stryker.config.json; `npm test` keeps jest.config.ts):
 * - `src` among the roots, so jest's related-tests lookup follows imports through src/index.ts and a
 *   mutant is tested by the tests that reach its file, not only by those importing it directly;
 * - the two type-checking test files left out: they compile src with the TypeScript compiler, and
 *   Stryker's sandbox (instrumented code, `// @ts-nocheck` headers) is not meant to compile;
 * - the environment, sequencer and runner of scripts/mutation: per mutant, only the test files
 *   holding its covering tests, and the run stops at the first failing file;
 * - `MUTATION_TESTS` (opt-in; comma-separated paths under `__tests__`, files or folders): only those
 *   test files run, so a folder whose code every test reaches (src/store) is measured in minutes,
 *   not hours. Its score is then a lower bound: a mutant another test file would kill counts as
 *   survived.
 */
import * as path from 'node:path';
import type { Config } from 'jest';
import base from './jest.config';

const here = (file: string) => path.join(__dirname, 'scripts', 'mutation', file);

/** `MUTATION_TESTS=store,shared-renewal.test.ts` → the test files and folders named, under `__tests__`. */
const focus = (process.env.MUTATION_TESTS ?? '')
  .split(',')
  .map((entry) => entry.trim())
  .filter(Boolean)
  .map((entry) =>
    entry.endsWith('.ts') ? `<rootDir>/__tests__/${entry}` : `<rootDir>/__tests__/${entry}/**/*.test.ts`,
  );

const config: Config = {
  ...base,
  ...(focus.length > 0 ? { testMatch: focus } : {}),
  roots: ['<rootDir>/src', '<rootDir>/__tests__'],
  testPathIgnorePatterns: [
    ...(base.testPathIgnorePatterns ?? []),
    '<rootDir>/__tests__/types/types.test.ts',
    '<rootDir>/__tests__/options/option-keys.test.ts',
  ],
  testEnvironment: here('environment.cjs'),
  testSequencer: here('sequencer.cjs'),
  runner: here('runner.cjs'),
  collectCoverage: false,
  coverageThreshold: undefined,
};

export default config;
