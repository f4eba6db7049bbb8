/**
 * Every file of examples/recipes/ (the code blocks of the README and the recipe pages are copies of
 * them) type-checks and runs: bundled with `axios-oauth2-bearer` resolved to src/, run by `node` in a
 * child process, exit code 0, printing exactly its `// Prints:` block. Files added to the folder are
 * picked up without editing this test.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  bundleRecipe,
  expectedOutput,
  outputLines,
  recipeFiles,
  resolvePackageSpecifier,
  ROOT,
  runBundled,
  typecheckRecipes,
} from '../../scripts/docs/recipes';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

const files = recipeFiles();

// A real redis-server for the recipes that use one (they read REDIS_URL, as an application would).
let redis: RedisServer | undefined;
beforeAll(async () => {
  redis = await startRedisServer();
  process.env.REDIS_URL = redis.url;
}, 30_000);
afterAll(async () => {
  delete process.env.REDIS_URL;
  await redis?.stop();
});

test('the folder holds the recipes, the ESM quick start and its CommonJS variant among them', () => {
  const names = files.map((file) => relative(ROOT, file));
  expect(names).toEqual(
    expect.arrayContaining(['examples/recipes/quick-start.ts', 'examples/recipes/quick-start.cjs']),
  );
});

test('every recipe type-checks: strict, ESM with top-level await (.ts), CommonJS checked as JavaScript (.cjs)', () => {
  const check = typecheckRecipes();
  expect(check.output).toBe('');
  expect(check.status).toBe(0);
}, 120_000);

describe.each(files.map((file) => [relative(ROOT, file), file]))('%s', (name, file) => {
  test('runs in its own node process: exit code 0, stderr empty, stdout exactly its "// Prints:" block', async () => {
    const expected = expectedOutput(readFileSync(file, 'utf8'));
    const run = runBundled(await bundleRecipe(file));
    if (expected === undefined) {
      throw new Error(
        `${name} has no "// Prints:" block: end it with "// Prints:" and one "// <line>" per line it prints. It printed:\n${run.stdout}${run.stderr}`,
      );
    }
    expect({ status: run.status, signal: run.signal, stderr: run.stderr, stdout: outputLines(run.stdout) }).toEqual({
      status: 0,
      signal: null,
      stderr: '',
      stdout: expected,
    });
  }, 90_000);
});

describe('the runner', () => {
  test('resolves the package and its exported subpaths to src, and refuses a subpath package.json does not export', () => {
    expect(relative(ROOT, resolvePackageSpecifier('axios-oauth2-bearer'))).toBe('src/index.ts');
    expect(relative(ROOT, resolvePackageSpecifier('axios-oauth2-bearer/testing'))).toBe('src/testing/index.ts');
    expect(relative(ROOT, resolvePackageSpecifier('axios-oauth2-bearer/dpop'))).toBe('src/features/dpop/index.ts');
    expect(() => resolvePackageSpecifier('axios-oauth2-bearer/options')).toThrow(
      '"axios-oauth2-bearer/options" is not exported by package.json',
    );
  });

  test('reads the expected lines after the last "// Prints:" line', () => {
    expect(expectedOutput('console.log(1);\n// Prints:\n// a: 1\n//\n//   b\n')).toEqual(['a: 1', '', '  b']);
    expect(expectedOutput('console.log(1);\n')).toBeUndefined();
  });

  test('a recipe that fails is seen failing: its exit code and its error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recipe-'));
    const file = join(dir, 'broken.ts');
    writeFileSync(
      file,
      "import { mangopay } from 'axios-oauth2-bearer';\nmangopay({ environment: 'staging' as 'sandbox', clientId: 'a', apiKey: 'b' });\n",
    );
    const run = runBundled(await bundleRecipe(file));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('OAuth2OptionsError');
  }, 90_000);
});
