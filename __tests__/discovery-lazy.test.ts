import { buildSync } from 'esbuild';
import path from 'node:path';

/**
 * Pay only for what you use: a user with `tokenUrl` does not ship the discovery code. Bundled as a
 * user would (the root entry, ESM, code splitting), the discovery lands in its own chunk, loaded by
 * a literal dynamic import; the core holds none of it.
 */
it('the discovery code is a separate chunk, absent from the core bundle', () => {
  const result = buildSync({
    stdin: {
      contents: "export { attachOAuth2, mangopay } from './src/index';",
      resolveDir: path.join(__dirname, '..'),
      sourcefile: 'entry.ts',
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    splitting: true,
    outdir: path.join(__dirname, '..', 'out-not-written'),
    external: ['axios'],
    write: false,
    logLevel: 'silent',
  });
  const files = result.outputFiles.map((f) => ({ name: path.basename(f.path), text: f.text }));
  const entry = files.find((f) => f.name === 'stdin.js');
  expect(entry).toBeDefined();
  // Everything the entry loads statically.
  const statics = new Set(['stdin.js']);
  for (const match of entry!.text.matchAll(/^import .* from "\.\/([^"]+)";$/gm)) statics.add(match[1]);
  const core = files
    .filter((f) => statics.has(f.name))
    .map((f) => f.text)
    .join('\n');
  const lazy = files
    .filter((f) => !statics.has(f.name))
    .map((f) => f.text)
    .join('\n');
  for (const marker of [
    'oauth-authorization-server',
    'openid-configuration',
    'OAUTH2_ISSUER_MISMATCH',
    'mtls_endpoint_aliases',
  ]) {
    expect(core).not.toContain(marker);
    expect(lazy).toContain(marker);
  }
  expect(core).toMatch(/import\("\.\/discovery-[A-Z0-9]+\.js"\)/);
});
