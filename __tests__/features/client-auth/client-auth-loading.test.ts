import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { splitBundle } from '../../../bench/size';
import { createCore } from '../../helpers/harness';

/**
 * Pay only for what you use: the client-authentication methods beyond the shared secret live in
 * `axios-oauth2-bearer/client-auth` (src/features/client-auth), which the core never imports, and the
 * custom grant's checks load by a literal dynamic import on first use. A client-secret user never
 * loads them, and a bundler keeps them out of the core entry.
 */
const loaded: string[] = [];
jest.mock('../../../src/token/custom-parameters', () => {
  loaded.push('custom-parameters');
  return jest.requireActual('../../../src/token/custom-parameters');
});

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FEATURE = `${path.sep}src${path.sep}features${path.sep}client-auth${path.sep}`;

/**
 * The `src/features/client-auth` modules in the `require` cache of a fresh node process (ts-node,
 * transpile only) after running `script` (CommonJS, `src` bound to the repository's `src`).
 */
function featureModulesLoadedBy(script: string): string[] {
  const program = `
    const src = (p) => require(require('node:path').join(${JSON.stringify(ROOT)}, 'src', p));
    ${script}
    const loaded = Object.keys(require.cache).filter((k) => k.includes(${JSON.stringify(FEATURE)}));
    process.stdout.write(JSON.stringify(loaded.map((k) => require('node:path').basename(k)).sort()));
  `;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', program], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

describe('require cache: the client-auth feature loads only for its users', () => {
  test('a client-secret user (the main entry, attached, a token fetched) loads none of src/features/client-auth', () => {
    const loadedModules = featureModulesLoadedBy(`
      const { attachOAuth2 } = src('index');
      const axios = require('axios');
      attachOAuth2(axios.create(), { tokenUrl: 'https://as.example.com/token', clientId: 'c', clientSecret: 's' });
    `);
    expect(loadedModules).toEqual([]);
  }, 60_000);

  test('a privateKeyJwt user loads the feature (its factory, key import and signing)', () => {
    const loadedModules = featureModulesLoadedBy(`
      const { attachOAuth2 } = src('index');
      const { privateKeyJwt } = src('features/client-auth');
      const key = require('node:crypto').generateKeyPairSync('ed25519').privateKey;
      attachOAuth2(require('axios').create(), {
        tokenUrl: 'https://as.example.com/token',
        clientId: 'c',
        clientAuthentication: privateKeyJwt(key),
      });
    `);
    expect(loadedModules).toEqual(
      expect.arrayContaining(['assertion-key.ts', 'client-assertion.ts', 'private-key-jwt.ts']),
    );
  }, 60_000);
});

test('a client-secret user never loads the custom grant checks; a custom grant loads them on first use', async () => {
  const core = createCore();
  await core.api.get('/a');
  expect(core.tokenCalls).toHaveLength(1);
  expect(loaded).toEqual([]);

  jest.resetModules();
  const custom = createCore({
    options: { grant: { type: 'custom', grantType: 'urn:x', parameters: () => ({ a: 'b' }) } },
  });
  expect(loaded).toEqual([]);
  await custom.api.get('/a');
  expect(loaded).toEqual(['custom-parameters']);
});

test('bundled as ESM with splitting, the core entry carries no client-auth code; the subpath does', () => {
  const markers = ['symmetricKeySize', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', 'x5t#S256:'];
  const core = splitBundle('src/index.ts', undefined, false);
  const coreText = [...core.eager, ...core.lazy].map((c) => c.text).join('\n');
  for (const marker of markers) expect(coreText).not.toContain(marker);
  const feature = splitBundle('src/features/client-auth/index.ts', undefined, false);
  const featureText = [...feature.eager, ...feature.lazy].map((c) => c.text).join('\n');
  for (const marker of markers) expect(featureText).toContain(marker);
});
