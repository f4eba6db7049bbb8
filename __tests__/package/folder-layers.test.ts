/**
 * The folders of `src` form layers: no folder's code imports a folder whose code imports it back
 * (dependency-cruiser's `no-circular` rule sees module cycles only; two folders can import each other
 * through different modules without one). Each feature (`src/features/<name>`) counts as its own
 * folder. Type-only imports are left out: they are erased from the built code.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

interface Cruised {
  modules: { source: string; dependencies: { resolved: string; dependencyTypes: string[] }[] }[];
}

const ROOT = path.join(__dirname, '..', '..');

/** `src/token`, `src/features/dpop`; a file at the root of `src` (the entry, the errors) stands alone. */
function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts.length <= 2) return file;
  return parts[1] === 'features' && parts.length > 3 ? parts.slice(0, 3).join('/') : parts.slice(0, 2).join('/');
}

test('no two folders of src import each other (code imports)', () => {
  const cli = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  const output = execFileSync(
    process.execPath,
    [cli, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const edges = new Map<string, string>();
  for (const module of (JSON.parse(output) as Cruised).modules) {
    if (!module.source.startsWith('src/')) continue;
    for (const dependency of module.dependencies) {
      if (!dependency.resolved.startsWith('src/') || dependency.dependencyTypes.includes('type-only')) continue;
      const [from, to] = [folderOf(module.source), folderOf(dependency.resolved)];
      if (from !== to) edges.set(`${from} -> ${to}`, `${module.source} -> ${dependency.resolved}`);
    }
  }
  const both = [...edges.keys()]
    .map((edge) => edge.split(' -> '))
    .filter(([from, to]) => from < to && edges.has(`${to} -> ${from}`))
    .map(([from, to]) => `${edges.get(`${from} -> ${to}`)} | ${edges.get(`${to} -> ${from}`)}`);
  expect(both).toEqual([]);
  // Not vacuous: the stages do import one another.
  expect(edges.has('src/interceptors -> src/token')).toBe(true);
});
