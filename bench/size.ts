/**
 * An entry as a code-splitting bundler ships it (esbuild, ESM, axios external): what loads with the
 * entry (its chunk and the chunks it imports statically), apart from what loads on first use only
 * (chunks behind a dynamic `import()`: signing, DPoP, discovery, revocation). Used by the bench for
 * sizes and by the tests that prove such code stays out of the core.
 */
import { buildSync, type Metafile, type StdinOptions } from 'esbuild';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface OutputChunk {
  /** File name, e.g. `discovery-AB12CD.js`. */
  name: string;
  text: string;
  bytes: Uint8Array;
}

export interface SplitBundle {
  /** The entry's chunk and every chunk it imports statically. */
  eager: OutputChunk[];
  /** Chunks reachable only through a dynamic `import()`. */
  lazy: OutputChunk[];
}

export interface BundleSize {
  /** Minified bytes loaded with the entry. */
  minified: number;
  /**
   * Gzipped bytes loaded with the entry, its chunks gzipped together (as one app bundle would hold
   * them; comparable with a single-file bundle).
   */
  gzipped: number;
  /** Gzipped bytes of the chunks loaded on first use only (together). */
  lazyGzipped: number;
}

const ROOT = path.join(__dirname, '..');

/** Files reachable from `start` through imports that `follow` accepts (static ones: `import-statement`). */
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

/** esbuild's entry for `module` (relative to the repository), or only its named exports `only`. */
function entryOf(module: string, only?: string[]): StdinOptions {
  const target = `./${module.replace(/\.ts$/, '')}`;
  const contents = only ? `export { ${only.join(', ')} } from '${target}';` : `export * from '${target}';`;
  return { contents, resolveDir: ROOT, sourcefile: 'entry.ts', loader: 'ts' };
}

/**
 * Bundles `module` (a path relative to the repository, e.g. `src/index.ts`), or only the named
 * exports `only` of it, minified or not, and splits its output into what loads eagerly and lazily.
 */
export function splitBundle(module: string, only?: string[], minify = true): SplitBundle {
  const result = buildSync({
    stdin: entryOf(module, only),
    bundle: true,
    minify,
    splitting: true,
    format: 'esm',
    platform: 'node',
    external: ['axios'],
    outdir: path.join(ROOT, 'bundle-not-written'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const meta = result.metafile;
  const byFile = new Map(
    result.outputFiles.map((f) => [
      path.relative(ROOT, f.path),
      { name: path.basename(f.path), text: f.text, bytes: f.contents },
    ]),
  );
  const start = Object.keys(meta.outputs).find((f) => meta.outputs[f].entryPoint !== undefined);
  if (!start) throw new Error('esbuild produced no entry chunk');
  const eager = closure(meta, start, (kind) => kind === 'import-statement');
  const all = closure(meta, start, () => true);
  const chunks = (files: Iterable<string>) => [...files].flatMap((f) => byFile.get(f) ?? []);
  return { eager: chunks(eager), lazy: chunks([...all].filter((f) => !eager.has(f))) };
}

/** The size of `module`, or of its named exports `only`. */
export function bundleSize(module: string, only?: string[]): BundleSize {
  const { eager, lazy } = splitBundle(module, only);
  const gz = (chunks: OutputChunk[]) =>
    chunks.length === 0 ? 0 : gzipSync(Buffer.concat(chunks.map((c) => c.bytes)), { level: 9 }).length;
  return {
    minified: eager.reduce((sum, c) => sum + c.bytes.length, 0),
    gzipped: gz(eager),
    lazyGzipped: gz(lazy),
  };
}

/** One bundle holding everything `module` (or its exports `only`) can load, dynamic imports included. */
export interface WholeBundle {
  /** The bundle's text (one file: without code splitting, esbuild inlines what a dynamic `import()` loads). */
  text: string;
  /** Minified bytes. */
  minified: number;
  /** Gzipped bytes (level 9). */
  gzipped: number;
  /** Every source file in the bundle (relative to the repository, e.g. `src/token/token-cache.ts`), with its minified bytes in it. */
  inputs: Record<string, number>;
}

/**
 * Bundles `module` (a path relative to the repository), or only its named exports `only`, into one
 * file with everything it can load, lazy chunks included: what a bundler ships for that import, and
 * the figure the size target is about. Minified unless `minify` is false.
 */
export function wholeBundle(module: string, only?: string[], minify = true): WholeBundle {
  const result = buildSync({
    stdin: entryOf(module, only),
    bundle: true,
    minify,
    format: 'esm',
    platform: 'node',
    external: ['axios'],
    outfile: path.join(ROOT, 'bundle-not-written.js'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [file] = result.outputFiles;
  const [output] = Object.values(result.metafile.outputs);
  return {
    text: file.text,
    minified: file.contents.length,
    gzipped: gzipSync(file.contents, { level: 9 }).length,
    inputs: Object.fromEntries(Object.entries(output.inputs).map(([name, input]) => [name, input.bytesInOutput])),
  };
}

/** Minified bytes per source folder (`src/token`, `src/options`…), largest first: what each part costs. */
export function bytesByFolder(inputs: Record<string, number>): [folder: string, bytes: number][] {
  const folders = new Map<string, number>();
  for (const [name, bytes] of Object.entries(inputs)) {
    if (bytes === 0) continue;
    const folder = path.posix.dirname(name.split(path.sep).join('/'));
    folders.set(folder, (folders.get(folder) ?? 0) + bytes);
  }
  return [...folders].sort((a, b) => b[1] - a[1]);
}
