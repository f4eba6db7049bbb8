/**
 * The recipe runner: every file of `examples/recipes/` (`*.ts`: ESM with top-level await; `*.cjs`:
 * CommonJS) is bundled by esbuild with `axios-oauth2-bearer` and its subpaths resolved to this
 * repository's sources (as `examples/recipes/tsconfig.json` resolves them for the type check), every
 * other package left to node_modules, then run by `node` in a child process. A recipe ends with a
 * `// Prints:` comment block: the exact lines it must print.
 *
 * Used by `__tests__/docs/recipes.test.ts` and by `npm run recipes` (all, or the names given).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { startRedisServer } from '../../__tests__/helpers/redis-server';

export const ROOT = resolve(__dirname, '../..');
export const RECIPES_DIR = join(ROOT, 'examples/recipes');
const PACKAGE_NAME = 'axios-oauth2-bearer';
/** Inside the repository, so that `node` resolves axios and the other packages from its node_modules. */
const OUT_DIR = join(ROOT, 'node_modules/.cache/axios-oauth2-bearer-recipes');

/** The recipe files, sorted: `*.ts` (ESM) and `*.cjs` (CommonJS), without declaration files. */
export function recipeFiles(dir = RECIPES_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => (name.endsWith('.ts') && !name.endsWith('.d.ts')) || name.endsWith('.cjs'))
    .sort()
    .map((name) => join(dir, name));
}

/** The lines after the last `// Prints:` comment line, without their `// ` (undefined: no such block). */
export function expectedOutput(source: string): string[] | undefined {
  const lines = source.replace(/\s+$/, '').split('\n');
  const start = lines.map((line) => line.trim()).lastIndexOf('// Prints:');
  if (start < 0) return undefined;
  return lines.slice(start + 1).map((line) => line.trim().replace(/^\/\/ ?/, ''));
}

/** The source file a specifier of this package maps to, or an error naming what is wrong. */
export function resolvePackageSpecifier(specifier: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const subpath = specifier === PACKAGE_NAME ? '.' : `./${specifier.slice(PACKAGE_NAME.length + 1)}`;
  if (!(subpath in pkg.exports)) {
    throw new Error(`"${specifier}" is not exported by package.json ("exports" has no "${subpath}")`);
  }
  if (subpath === '.') return join(ROOT, 'src/index.ts');
  const name = subpath.slice(2);
  const candidates = [join(ROOT, 'src/features', name, 'index.ts'), join(ROOT, 'src', name, 'index.ts')];
  const found = candidates.find((file) => existsSync(file));
  if (found === undefined) throw new Error(`no source for "${specifier}": tried ${candidates.join(', ')}`);
  return found;
}

/** This package to its sources; every other bare specifier external (node_modules, node: builtins). */
const packageToSources: Plugin = {
  name: 'axios-oauth2-bearer-to-src',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path === PACKAGE_NAME || args.path.startsWith(`${PACKAGE_NAME}/`)) {
        try {
          return { path: resolvePackageSpecifier(args.path) };
        } catch (error) {
          return { errors: [{ text: (error as Error).message }] };
        }
      }
      return { path: args.path, external: true };
    });
  },
};

/** Bundles one recipe into a runnable file (`.mjs` or `.cjs`) and returns its path. */
export async function bundleRecipe(file: string): Promise<string> {
  mkdirSync(OUT_DIR, { recursive: true });
  const cjs = extname(file) === '.cjs';
  const outfile = join(OUT_DIR, `${basename(file, extname(file))}${cjs ? '.cjs' : '.mjs'}`);
  await build({
    entryPoints: [file],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: cjs ? 'cjs' : 'esm',
    plugins: [packageToSources],
    logLevel: 'silent',
    sourcemap: 'inline',
  });
  return outfile;
}

export interface RecipeRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a bundled recipe with `node` (cwd: the repository), at most `timeoutMs`. */
export function runBundled(outfile: string, timeoutMs = 60_000): RecipeRun {
  const run = spawnSync(process.execPath, ['--enable-source-maps', outfile], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
}

/** Type-checks every recipe with `examples/recipes/tsconfig.json`; returns tsc's exit code and output. */
export function typecheckRecipes(): { status: number | null; output: string } {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(RECIPES_DIR, 'tsconfig.json'), '--pretty', 'false'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Printed lines, trimmed at the end of each line, without trailing empty lines. */
export function outputLines(stdout: string): string[] {
  return stdout
    .replace(/\s+$/, '')
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''));
}

async function main(names: string[]): Promise<void> {
  // The recipes that use Redis read REDIS_URL; without one, a throwaway redis-server (as the tests start).
  const redis = process.env.REDIS_URL === undefined ? await startRedisServer() : undefined;
  if (redis) process.env.REDIS_URL = redis.url;
  const files = recipeFiles().filter(
    (file) => names.length === 0 || names.some((name) => basename(file).startsWith(name)),
  );
  const check = typecheckRecipes();
  if (check.status !== 0) console.log(check.output);
  let failed = check.status === 0 ? 0 : 1; // the type check counts as one
  for (const file of files) {
    const run = runBundled(await bundleRecipe(file));
    const expected = expectedOutput(readFileSync(file, 'utf8'));
    const ok = run.status === 0 && expected !== undefined && outputLines(run.stdout).join('\n') === expected.join('\n');
    if (!ok) failed += 1;
    console.log(`${ok ? 'PASS' : 'FAIL'} ${relative(ROOT, file)}`);
    if (!ok) console.log(`${run.stdout}${run.stderr}`.replace(/^/gm, '    '));
  }
  console.log(`type check: ${check.status === 0 ? 'PASS' : 'FAIL'}; recipes: ${files.length} run`);
  process.exitCode = failed === 0 ? 0 : 1;
  await redis?.stop();
}

if (require.main === module) void main(process.argv.slice(2));
