/**
 * Minified and gzipped size of an entry as a code-splitting bundler ships it (esbuild, ESM, axios
 * external): what loads with the entry (its chunk and the chunks it imports statically), apart from
 * what it loads on first use only (chunks behind a dynamic `import()`: signing, DPoP, discovery).
 */
import { buildSync, type Metafile } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  /** Minified bytes loaded with the entry. */
  minified: number;
  /** Gzipped bytes loaded with the entry (each file gzipped on its own, as served). */
  gzipped: number;
  /** Gzipped bytes of the chunks loaded on first use only. */
  lazyGzipped: number;
}

/** Files reachable from `start` through imports of `kind` (static ones: `import-statement`). */
function closure(meta: Metafile, start: string, follow: (kind: string) => boolean): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const imported of meta.outputs[file]?.imports ?? []) {
      if (imported.external || !follow(imported.kind) || seen.has(imported.path)) continue;
      seen.add(imported.path);
      queue.push(imported.path);
    }
  }
  return seen;
}

/** The size of `entry` (a module path), or of the named exports of it given in `only`. */
export function bundleSize(entry: string, only?: string[]): BundleSize {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oauth2-size-'));
  try {
    let entryPoint = entry;
    if (only) {
      entryPoint = path.join(dir, 'entry.ts');
      writeFileSync(entryPoint, `export { ${only.join(', ')} } from ${JSON.stringify(entry.replace(/\.ts$/, ''))};\n`);
    }
    const outdir = path.join(dir, 'out');
    const result = buildSync({
      entryPoints: [entryPoint],
      bundle: true,
      minify: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      external: ['axios'],
      outdir,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const meta = result.metafile;
    const files = new Map(result.outputFiles.map((f) => [path.relative(process.cwd(), f.path), f.contents]));
    const start = Object.keys(meta.outputs).find((f) => meta.outputs[f].entryPoint !== undefined);
    if (!start) throw new Error('no entry chunk');
    const eager = closure(meta, start, (kind) => kind === 'import-statement');
    const all = closure(meta, start, () => true);
    const gz = (file: string) => gzipSync(files.get(file) ?? new Uint8Array(), { level: 9 }).length;
    let minified = 0;
    let gzipped = 0;
    let lazyGzipped = 0;
    for (const file of all) {
      if (eager.has(file)) {
        minified += files.get(file)?.length ?? 0;
        gzipped += gz(file);
      } else lazyGzipped += gz(file);
    }
    return { minified, gzipped, lazyGzipped };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
