import { splitBundle } from '../bench/size';

/**
 * Pay only for what you use: a user with `tokenUrl` does not ship the discovery code. Bundled as a
 * user would (the root entry, ESM, code splitting), the discovery lands in its own chunk, loaded by
 * a dynamic import only; nothing the core loads eagerly holds any of it.
 */
it('the discovery code is a separate chunk, absent from the core bundle', () => {
  const { eager, lazy } = splitBundle('src/index.ts', ['attachOAuth2', 'mangopay'], false);
  const core = eager.map((c) => c.text).join('\n');
  const discovery = lazy.find((c) => c.name.startsWith('discovery-'));
  expect(discovery).toBeDefined();
  // (DiscoveryError itself is public API, exported from the root for `instanceof`: it ships with it.)
  for (const marker of ['oauth-authorization-server', 'openid-configuration', 'mtls_endpoint_aliases']) {
    expect(core).not.toContain(marker);
    expect(discovery?.text).toContain(marker);
  }
});
