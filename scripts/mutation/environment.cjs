'use strict';
/**
 * Mutation-testing jest environment: jest's node environment that, in Stryker's dry run only (a
 * Stryker global set, no active mutant), records the full name of every test each file starts and
 * the file's time, and writes them to the sandbox (selection.cjs) for the sequencer of every worker.
 * Stryker wraps this class with its own coverage mixin in the dry run; mutant runs use it as is.
 */
const { TestEnvironment } = require('jest-environment-node');
const { fullTestName, writeTestsByFile } = require('./selection.cjs');

const testsByFile = {}; // this process's dry run, all files so far
const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';

class MutationEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const { globals, rootDir } = config.projectConfig;
    this.recording = Boolean(globals && globals.__strykerGlobalNamespace__) && !process.env[ACTIVE_MUTANT];
    this.rootDir = rootDir;
    this.testPath = context.testPath;
    this.started = Date.now();
    if (this.recording) testsByFile[this.testPath] = { names: [], duration: 0 };
  }

  async handleTestEvent(event, state) {
    if (this.recording && event.name === 'test_start') testsByFile[this.testPath].names.push(fullTestName(event.test));
    await super.handleTestEvent?.(event, state);
  }

  async teardown() {
    if (this.recording) {
      testsByFile[this.testPath].duration = Date.now() - this.started;
      writeTestsByFile(this.rootDir, testsByFile);
    }
    await super.teardown();
  }
}

module.exports = MutationEnvironment;
