/**
 * What a client-secret user bundles: `attachOAuth2` + the `mangopay` preset from the main entry,
 * bundled by esbuild into one minified file with everything it can load (dynamic imports included:
 * code loaded "on first use" still ships in the bundle). None of the advanced features may be in it:
 * each must be reachable only through its own subpath export.
 *
 * Two independent checks per feature: the metafile's inputs (no source file of the feature's folder)
 * and the bundle's text (no string only that feature's code has: a wire name or header of its RFC),
 * so a feature's code copied into a core file is caught too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { wholeBundle } from '../../bench/size';

interface Feature {
  name: string;
  /** Source folders (or files) of the feature: where it lives now and where it used to live. */
  paths: RegExp[];
  /** Strings (compared case-insensitively) that only the feature's code contains, in the minified bundle. */
  markers: string[];
}

const FEATURES: Feature[] = [
  {
    name: 'DPoP',
    paths: [/^src\/features\/dpop\//, /^src\/dpop\//],
    // `use_dpop_nonce` and the `DPoP` scheme are not markers: the core's errors and challenge parser name them.
    markers: ['dpop+jwt', 'dpop-nonce'],
  },
  {
    name: 'client assertions (private_key_jwt, client_secret_jwt)',
    paths: [
      /^src\/features\/client-auth\/(?!.*(mutual-tls|tls-client|certificate))/,
      /^src\/client-auth\/(client-assertion|assertion-key|auth-options)/,
    ],
    // Not `client_assertion_type` alone: the custom grant's reserved parameter names (core) list it; nor
    // the method names: the core's option check names them to point at their factories.
    markers: ['urn:ietf:params:oauth:client-assertion-type', 'ieee-p1363'],
  },
  {
    name: 'mutual TLS (tls_client_auth, self_signed_tls_client_auth)',
    paths: [
      /^src\/features\/client-auth\/.*(mutual-tls|tls-client|certificate)/,
      /^src\/client-auth\/(mutual-tls|certificate-thumbprint)/,
    ],
    // Not the method names (see above).
    markers: ['x5t#S256'],
  },
  {
    name: 'discovery',
    // Not src/interceptors/discovered-endpoint.ts: the request side's wait for any endpoint source (a contract).
    paths: [/^src\/features\/discovery\//, /^src\/discovery\//],
    markers: ['.well-known/openid-configuration', '.well-known/oauth-authorization-server'],
  },
  {
    name: 'revocation on close',
    paths: [/^src\/features\/revocation\//, /^src\/disposal\//],
    markers: ['token_type_hint'],
  },
  {
    name: 'token exchange (RFC 8693)',
    // Not the grant type URN: the core's cache-key names the grant inputs (`subject_token`) it hashes.
    paths: [/^src\/features\/token-exchange\//],
    markers: ['issued_token_type', 'token-type:saml2'],
  },
  {
    name: 'many tenants (the directory: loads, bounds, idle sweep; credential checks)',
    paths: [/^src\/features\/tenants\//],
    markers: ['tenants.load threw', 'tenants.maxTenants', 'tenants.fromRequest threw', 'returned invalid credentials'],
  },
  {
    name: "many tenants (each tenant's token source: its state, caches, cache key, invalid_client re-ask)",
    // Where it lived in the core before it moved to src/features/tenants (the request side's choice of
    // a source per request, src/contracts/token-source.ts, is the core's, and generic).
    paths: [/^src\/token\/tenants\//, /^src\/attach\/tenants\.ts$/, /^src\/features\/tenants\//],
    // The tenant cache key's version tag; the error of a request without a tenant and no own credentials.
    markers: ['tenant/v1', 'no credentials of its own'],
  },
  {
    name: 'diagnostics channels',
    paths: [/^src\/features\/diagnostics\//, /^src\/observability\//],
    markers: ['diagnostics_channel', 'tracingChannel', 'cache-hit'],
  },
];

/**
 * Features whose code today's main still bundles for a client-secret user: their tests are
 * `test.failing` until the work that moves them behind a subpath export is merged. THE LEAD FLIPS
 * THIS LIST WHEN MERGING: a feature's `test.failing` then fails ("passed but was marked failing"),
 * and its name is removed here so the test guards the feature from then on. Empty = done.
 */
const STILL_IN_CORE = new Set<string>([
  // Empty since wt-dpop, wt-clientauth and wt-extensions were merged.
]);

const bundle = wholeBundle('src/index.ts', ['attachOAuth2', 'mangopay']);
const inputs = Object.keys(bundle.inputs).map((name) => name.split('\\').join('/'));
const text = bundle.text.toLowerCase();

test('the bundle is the real one: the core and the preset are in it', () => {
  expect(inputs).toEqual(expect.arrayContaining(['src/attach/attach.ts', 'src/options/presets.ts']));
  expect(text).toContain('client_credentials');
});

test('no file from src/features/ is in it (presets aside, which are the simple path)', () => {
  expect(
    inputs.filter((name) => name.startsWith('src/features/') && !name.startsWith('src/features/presets/')),
  ).toEqual([]);
});

describe.each(FEATURES)('$name', (feature) => {
  const check = STILL_IN_CORE.has(feature.name) ? test.failing : test;

  check('none of its source files is in the bundle', () => {
    expect(inputs.filter((name) => feature.paths.some((pattern) => pattern.test(name)))).toEqual([]);
  });

  check('none of its marker strings is in the bundle text', () => {
    expect(feature.markers.filter((marker) => text.includes(marker.toLowerCase()))).toEqual([]);
  });
});

test('every marker is in the code of the whole main entry and the subpath exports (not vacuous)', () => {
  // Guards the markers themselves: a marker no code has would make the checks above pass vacuously.
  // The main entry holds every feature until it moves; then its subpath export (a tsup entry) does.
  // Not the embedded test server (`testing`) nor the Redis store: they are not the features' code.
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    tsup: { entry: Record<string, string> };
  };
  const entries = pkg.tsup.entry;
  const sources = Object.entries(entries)
    .filter(([name]) => !name.startsWith('testing/') && !name.startsWith('redis/'))
    .map(([, source]) => wholeBundle(source).text);
  const all = sources.join('\n').toLowerCase();
  const missing = FEATURES.flatMap((f) => f.markers).filter((marker) => !all.includes(marker.toLowerCase()));
  expect(missing).toEqual([]);
});
