/* global console */
// The recipes as a user runs them: copied into a project where the packed package is installed, saved
// as .mts and run by `node` itself (type stripping: Node 22.18+ / 23.6+), each printing exactly its
// "// Prints:" block. Run by scripts/node-matrix.sh with the Node under test, in the consumer project:
//   node run-recipes-installed.mjs <examples/recipes dir>
// Only recipes whose packages the consumer has are run (axios, this package, node: builtins); the
// others need dev dependencies (OpenTelemetry, the Mangopay SDK, ioredis) and run in the repository's
// tests. On a Node without type stripping it says so and exits 0.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const source = process.argv[2];
if (!process.features.typescript) {
  console.log(`recipes: skipped, node ${process.version} does not strip types`);
  process.exit(0);
}
const allowed = (specifier) =>
  specifier.startsWith('node:') || specifier === 'axios' || /^axios-oauth2-bearer(\/|$)/.test(specifier);
const dir = join(process.cwd(), 'recipes');
mkdirSync(dir, { recursive: true });
let failed = 0;
let ran = 0;
for (const name of readdirSync(source)
  .filter((file) => file.endsWith('.ts'))
  .sort()) {
  const text = readFileSync(join(source, name), 'utf8');
  const imports = [...text.matchAll(/^import [^;]*?from '([^']+)';/gms)].map((match) => match[1]);
  if (!imports.every(allowed)) continue;
  const lines = text.trimEnd().split('\n');
  const start = lines.map((line) => line.trim()).lastIndexOf('// Prints:');
  const expected = lines.slice(start + 1).map((line) => line.trim().replace(/^\/\/ ?/, ''));
  const file = join(dir, name.replace(/\.ts$/, '.mts'));
  copyFileSync(join(source, name), file);
  const run = spawnSync(process.execPath, ['--no-warnings', file], { encoding: 'utf8', timeout: 60_000 });
  const printed = run.stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.trimEnd());
  const ok = start >= 0 && run.status === 0 && printed.join('\n') === expected.join('\n');
  ran += 1;
  if (!ok) {
    failed += 1;
    console.log(`FAIL ${name} (exit ${run.status})\n${run.stdout}${run.stderr}`);
  }
}
console.log(`recipes: ${ran - failed} of ${ran} ran as copied`);
process.exit(failed === 0 && ran > 0 ? 0 : 1);
