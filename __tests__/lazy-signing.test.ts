import { generateKeyPairSync } from 'node:crypto';
import { splitBundle } from '../bench/size';
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

test('bundled as ESM with splitting, the signing code is in its own chunk, loaded by a dynamic import only', () => {
  const { eager, lazy } = splitBundle('src/index.ts', undefined, false);
  const signing = lazy.find((c) => c.name.startsWith('client-assertion-'));
  expect(signing?.text).toContain('ieee-p1363');
  expect(eager.map((c) => c.text).join('\n')).not.toContain('ieee-p1363');
});
