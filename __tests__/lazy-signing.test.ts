import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { buildSync } from 'esbuild';
import { createCore } from './helpers/harness';

/**
 * Pay only for what you use: the signing code (client assertions) and the custom grant's checks are
 * loaded by a literal dynamic import on first use, so a client-secret user never loads them, and a
 * bundler keeps them out of the core entry.
 */
const loaded: string[] = [];
jest.mock('../src/client-auth/client-assertion', () => {
  loaded.push('client-assertion');
  return jest.requireActual('../src/client-auth/client-assertion');
});
jest.mock('../src/token/custom-parameters', () => {
  loaded.push('custom-parameters');
  return jest.requireActual('../src/token/custom-parameters');
});

// Runs first, with nothing cleared: importing the plugin (the harness did, above) loaded neither module.
test('a client-secret user never loads the signing module, nor the custom grant checks', async () => {
  const core = createCore();
  await core.api.get('/a');
  expect(core.tokenCalls).toHaveLength(1);
  expect(loaded).toEqual([]);
});

test('private_key_jwt loads the signing module on its first token request, not at attach time', async () => {
  jest.resetModules(); // a dynamic import now goes through the (mocked) factory again
  loaded.length = 0;
  const core = createCore({
    options: { clientAuthentication: 'private_key_jwt', privateKey: generateKeyPairSync('ed25519').privateKey },
  });
  expect(loaded).toEqual([]);
  await core.api.get('/a');
  expect(loaded).toEqual(['client-assertion']);
});

test('a custom grant loads its checks on first use', async () => {
  jest.resetModules();
  loaded.length = 0;
  const core = createCore({
    options: { grant: { type: 'custom', grantType: 'urn:x', parameters: () => ({ a: 'b' }) } },
  });
  expect(loaded).toEqual([]);
  await core.api.get('/a');
  expect(loaded).toEqual(['custom-parameters']);
});

test('bundled as ESM with splitting, the signing code is in its own chunk, loaded by a dynamic import', () => {
  const entry = path.join(__dirname, '..', 'src', 'index.ts');
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    external: ['axios'],
    splitting: true,
    outdir: path.join(__dirname, '..', 'tmp-lazy-signing-out'),
    write: false,
    logLevel: 'silent',
  });
  const files = result.outputFiles.map((f) => ({ name: path.basename(f.path), text: f.text }));
  const main = files.find((f) => f.name === 'index.js');
  const signing = files.find((f) => f.name.startsWith('client-assertion-'));
  expect(main).toBeDefined();
  expect(signing?.text).toContain('ieee-p1363');
  expect(main?.text).not.toContain('ieee-p1363');
  expect(main?.text).toMatch(/import\("\.\/client-assertion-[A-Z0-9]+\.js"\)/);
});
