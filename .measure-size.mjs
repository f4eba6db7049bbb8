import { buildSync } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
for (const [name, src] of [['base', '/tmp/mtls-size/base/src'], ['head', '/work/wt-mtls/src']]) {
  const entry = `/tmp/mtls-size/${name}-entry.ts`;
  writeFileSync(entry, `export { attachOAuth2, mangopay } from '${src}/index';\n`);
  const r = buildSync({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'node', external: ['axios', '*/discovery/discovery'], write: false, logLevel: 'silent', absWorkingDir: '/work/wt-mtls' });
  for (const f of r.outputFiles) { console.log(name, f.contents.length, gzipSync(f.contents, { level: 9 }).length); writeFileSync(`/tmp/mtls-size/${name}.js`, f.contents); }
}
