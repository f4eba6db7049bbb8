'use strict';
/**
 * Mutation-testing jest sequencer: of the test files jest found (the mutated file's related tests),
 * keeps only those holding one of the mutant's covering tests (Stryker passes them as jest's
 * testNamePattern), cheapest first, instead of loading and compiling some 80 files per mutant.
 * Outside a mutant run (no pattern) it keeps every file, in jest's default order.
 */
const Sequencer = require('@jest/test-sequencer').default;
const { readTestsByFile, selectTestFiles } = require('./selection.cjs');

class MutationSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.globalConfig = options.globalConfig;
  }

  sort(tests) {
    const pattern = this.globalConfig.testNamePattern;
    if (!pattern) return super.sort(tests);
    const rootDir = tests[0]?.context.config.rootDir;
    if (!rootDir) return tests;
    const kept = selectTestFiles(
      tests.map((test) => test.path),
      readTestsByFile(rootDir),
      pattern,
    );
    if (process.env.MUTATION_DEBUG)
      require('node:fs').appendFileSync(
        process.env.MUTATION_DEBUG,
        `${tests.length} -> ${kept.length} ${kept.map((f) => f.split('/').pop()).join(',')}\n`,
      );
    const byPath = new Map(tests.map((test) => [test.path, test]));
    return kept.map((file) => byPath.get(file));
  }
}

module.exports = MutationSequencer;
