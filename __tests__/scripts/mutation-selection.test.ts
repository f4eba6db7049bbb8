// The pure selection logic of the mutation-testing runner (scripts/mutation): which test files a mutant needs.
import { fileFailed, fullTestName, selectTestFiles } from '../../scripts/mutation/selection.cjs';

const pattern = (...names: string[]) =>
  names.map((name) => `(${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`).join('|'); // as Stryker's jest runner builds it

describe('mutation testing: test files kept for a mutant', () => {
  const testsByFile = {
    '/t/a.test.ts': { names: ['cache single flight', 'cache renews early'], duration: 900 },
    '/t/b.test.ts': { names: ['backoff doubles (x2)'], duration: 100 },
    '/t/c.test.ts': { names: ['unrelated'], duration: 50 },
  };
  const all = ['/t/a.test.ts', '/t/b.test.ts', '/t/c.test.ts', '/t/unseen.test.ts'];

  test('only the files holding a covering test, cheapest first', () => {
    expect(selectTestFiles(all, testsByFile, pattern('cache renews early', 'backoff doubles (x2)'))).toEqual([
      '/t/b.test.ts',
      '/t/a.test.ts',
    ]);
  });

  test('matched as jest matches testNamePattern: case-insensitive, anywhere in the full name', () => {
    expect(selectTestFiles(all, testsByFile, pattern('SINGLE FLIGHT'))).toEqual(['/t/a.test.ts']);
  });

  test('no pattern (a static mutant, or no coverage analysis) keeps every file, unseen ones included', () => {
    expect(selectTestFiles(all, testsByFile, undefined)).toEqual(all);
  });

  test('a pattern no recorded test matches keeps no file', () => {
    expect(selectTestFiles(all, testsByFile, pattern('gone'))).toEqual([]);
  });

  test("a test's full name: its describe blocks, then its name (Stryker's test id)", () => {
    const root = { name: 'ROOT_DESCRIBE_BLOCK' };
    const outer = { name: 'outer', parent: root };
    expect(fullTestName({ name: 'works', parent: { name: 'inner', parent: outer } })).toBe('outer inner works');
    expect(fullTestName({ name: 'top-level', parent: root })).toBe('top-level');
  });

  test('a file fails on a failing test or when it could not run; the runner stops there', () => {
    expect(fileFailed({ numFailingTests: 1 })).toBe(true);
    expect(fileFailed({ numFailingTests: 0, testExecError: new Error('boom') })).toBe(true);
    expect(fileFailed({ numFailingTests: 0, failureMessage: null })).toBe(false);
  });
});
