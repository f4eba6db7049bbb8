/**
 * The error classes tree-shake: a client-secret user's bundle (`attachOAuth2` + `mangopay`, as in
 * core-bundle.test.ts) carries none of the error classes only the advanced features raise. A class
 * with a static block (or a static field, lowered to one) is a side effect a bundler must keep, so the
 * classes define their `name` and `kind` as static getters. Markers: the error codes, which only each
 * class's constructor holds (the code union is a type).
 */
import { wholeBundle } from '../../bench/size';

const FEATURE_ONLY = {
  DPoPNonceError: 'OAUTH2_DPOP_NONCE',
  UnknownTenantError: 'OAUTH2_UNKNOWN_TENANT',
  TenantLoadError: 'OAUTH2_TENANT_LOAD_FAILED',
};

test('a client-secret bundle holds none of the error classes only the features raise', () => {
  const text = wholeBundle('src/index.ts', ['attachOAuth2', 'mangopay']).text;
  expect(Object.values(FEATURE_ONLY).filter((code) => text.includes(code))).toEqual([]);
  // The core's own are there (the check is not vacuous on the bundle side).
  expect(text).toContain('OAUTH2_ACCOUNT_LOCKED');
});

test.each(Object.entries(FEATURE_ONLY))('%s is in a bundle that imports it (its marker is real)', (name, code) => {
  expect(wholeBundle('src/index.ts', [name]).text).toContain(code);
});

test('importing one error class bundles no other one but its bases', () => {
  const text = wholeBundle('src/index.ts', ['AccountLockedError']).text;
  expect(text).toContain('OAUTH2_ACCOUNT_LOCKED');
  for (const code of ['OAUTH2_TOKEN_ENDPOINT_ERROR', 'OAUTH2_STORE_TIMEOUT', ...Object.values(FEATURE_ONLY)]) {
    expect(text).not.toContain(code);
  }
});
