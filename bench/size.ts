/** Minified and gzipped size of an entry, as a bundler would ship it (axios external). */
import { buildSync } from 'esbuild';
import { gzipSync } from 'node:zlib';

export function bundleSize(entry: string): { minified: number; gzipped: number } {
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    external: ['axios'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}
