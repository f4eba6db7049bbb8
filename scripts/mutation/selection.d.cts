/** Types of selection.cjs, for the jest test of its pure logic (__tests__/scripts/mutation-selection.test.ts). */
export declare const TESTS_BY_FILE: string;
export interface TestBlock {
  name: string;
  parent?: TestBlock;
}
export interface TestsOfFile {
  names: string[];
  duration: number;
}
export declare function fullTestName(test: { name: string; parent?: TestBlock }): string;
export declare function selectTestFiles(
  testPaths: string[],
  testsByFile: Record<string, TestsOfFile>,
  testNamePattern: string | undefined,
): string[];
export declare function fileFailed(
  result: { numFailingTests: number; testExecError?: unknown; failureMessage?: string | null } | undefined,
): boolean;
export declare function readTestsByFile(rootDir: string): Record<string, TestsOfFile>;
export declare function writeTestsByFile(rootDir: string, testsByFile: Record<string, TestsOfFile>): void;
