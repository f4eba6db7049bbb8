/**
 * Features are reachable through their subpaths only (`axios-oauth2-bearer/discovery`,
 * `/revocation`, `/diagnostics`): a Node user who does not import them never loads them, and a
 * bundler user never bundles them. Proved both ways: Node's own `require.cache` in a fresh process,
 * and the bundle a user would ship (esbuild, ESM, code splitting).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { splitBundle } from '../../bench/size';

const ROOT = path.join(__dirname, '..', '..');
const FEATURES = ['discovery', 'revocation', 'diagnostics', 'token-exchange', 'tenants'] as const;

/** The feature modules (`src/features/<name>/…`) in `require.cache` after requiring `modules` in a fresh Node process. */
function featuresLoadedBy(...modules: string[]): string[] {
  const script = `
    for (const m of ${JSON.stringify(modules)}) require(m);
    const loaded = Object.keys(require.cache)
      .map((file) => file.split(require('node:path').sep).join('/'))
      .filter((file) => file.includes('/src/features/'))
      .map((file) => file.slice(file.indexOf('/src/features/') + 1));
    process.stdout.write(JSON.stringify(loaded.sort()));
  `;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

describe('require.cache', () => {
  it('requiring the main entry (and the testing one) loads no feature module', () => {
    expect(featuresLoadedBy('./src', './src/testing')).toEqual([]);
  }, 30_000);

  it.each(FEATURES)(
    'requiring axios-oauth2-bearer/%s loads that feature, and only it',
    (feature) => {
      const loaded = featuresLoadedBy('./src', `./src/features/${feature}`);
      expect(loaded.length).toBeGreaterThan(0);
      expect(loaded.every((file) => file.startsWith(`src/features/${feature}/`))).toBe(true);
    },
    30_000,
  );
});

describe('bundle', () => {
  /** Strings only each feature's code holds. */
  const MARKERS: Record<(typeof FEATURES)[number], string[]> = {
    discovery: ['oauth-authorization-server', 'openid-configuration', 'mtls_endpoint_aliases'],
    revocation: ['token_type_hint', 'revocation endpoint answered'],
    diagnostics: ['diagnostics_channel', 'tracingChannel', 'cache-miss'],
    'token-exchange': ['issued_token_type', 'token-type:saml2', 'actorTokenType'],
    tenants: ['tenants.load threw', 'tenants.maxTenants', 'tenants.fromRequest threw', 'returned invalid credentials'],
  };

  it('the main entry (every export, every chunk, lazy ones included) bundles none of the features', () => {
    const { eager, lazy } = splitBundle('src/index.ts', undefined, false);
    const shipped = [...eager, ...lazy].map((chunk) => chunk.text).join('\n');
    for (const marker of Object.values(MARKERS).flat()) expect(shipped).not.toContain(marker);
  });

  it.each(FEATURES)('the %s entry bundles its feature', (feature) => {
    const { eager } = splitBundle(`src/features/${feature}/index.ts`, undefined, false);
    const shipped = eager.map((chunk) => chunk.text).join('\n');
    for (const marker of MARKERS[feature]) expect(shipped).toContain(marker);
  });
});
