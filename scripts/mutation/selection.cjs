'use strict';
/**
 * Pure logic shared by the mutation-testing environment, sequencer and runner (see README.md here):
 * which test files a mutant needs, read from the test names each file ran in Stryker's dry run.
 * CommonJS, not TypeScript: Stryker loads the environment with a plain `require`, and jest the rest.
 */
const fs = require('node:fs');
const path = require('node:path');

/** Where the dry run leaves the test names of each test file: in the sandbox, beside the config. */
const TESTS_BY_FILE = '.mutation-tests-by-file.json';

/** A test's full name as Stryker's jest plugin makes it: the describe names, then the test's, space-separated. */
function fullTestName(test) {
  const names = [];
  for (let block = test.parent; block && block.parent; block = block.parent) names.unshift(block.name);
  return `${names.join(' ')} ${test.name}`.trimStart();
}

/**
 * The test files to load for one mutant: those holding at least one test that jest would run under
 * `testNamePattern` (Stryker's alternation of the mutant's covering tests, matched the way jest
 * matches it: case-insensitive, anywhere in the full name). No pattern (a static mutant, or no
 * coverage analysis) keeps every file; a file the dry run did not see is kept only then.
 * Kept files come cheapest first (the dry run's time), so a killing file tends to come early.
 *
 * @param {string[]} testPaths the files jest found for this run
 * @param {Record<string, {names: string[], duration: number}>} testsByFile from the dry run
 * @param {string | undefined} testNamePattern
 * @returns {string[]}
 */
function selectTestFiles(testPaths, testsByFile, testNamePattern) {
  if (!testNamePattern) return [...testPaths];
  const pattern = new RegExp(testNamePattern, 'i');
  const kept = testPaths.filter((file) => (testsByFile[file]?.names ?? []).some((name) => pattern.test(name)));
  const duration = (file) => testsByFile[file]?.duration ?? 0;
  return kept.sort((a, b) => duration(a) - duration(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** True when a test file's result is a failure (a failing test, or the file did not run). */
function fileFailed(result) {
  return Boolean(result && (result.numFailingTests > 0 || result.testExecError || result.failureMessage));
}

function readTestsByFile(rootDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(rootDir, TESTS_BY_FILE), 'utf8'));
  } catch {
    return {};
  }
}

function writeTestsByFile(rootDir, testsByFile) {
  const file = path.join(rootDir, TESTS_BY_FILE);
  fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(testsByFile));
  fs.renameSync(`${file}.${process.pid}`, file); // atomic: a reader never sees half a file
}

module.exports = { TESTS_BY_FILE, fullTestName, selectTestFiles, fileFailed, readTestsByFile, writeTestsByFile };
