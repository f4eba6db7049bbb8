'use strict';
/**
 * Mutation-testing jest runner: jest's own runner, one test file at a time, that stops at the first
 * failing file (Stryker forces jest's `bail` off), so a killed mutant costs one file, not all of
 * its covering files, and tests that would hang under the mutant after the kill never start.
 * Set MUTATION_NO_BAIL=1 (e.g. with Stryker's --disableBail) to run every file.
 */
const TestRunner = require('jest-runner').default;
const { fileFailed } = require('./selection.cjs');

class BailingRunner extends TestRunner {
  constructor(globalConfig, context) {
    super(globalConfig, context);
    this.isSerial = true;
  }

  async runTests(tests, watcher, options) {
    let failed = false;
    const offSuccess = this.on('test-file-success', ([, result]) => {
      if (fileFailed(result)) failed = true;
    });
    const offFailure = this.on('test-file-failure', () => {
      failed = true;
    });
    try {
      for (const test of tests) {
        if (watcher.isInterrupted() || (failed && !process.env.MUTATION_NO_BAIL)) break;
        await super.runTests([test], watcher, { ...options, serial: true });
      }
    } finally {
      offSuccess();
      offFailure();
    }
  }
}

module.exports = BailingRunner;
