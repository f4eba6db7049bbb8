// A certified authorization server (panva's oidc-provider, ESM only) in its own process, for the
// interoperability tests. Configured by a JSON document in the environment variable OIDC_HARNESS_CONFIG
// (see start-provider.ts for its shape); prints one JSON line {"issuer", "port"} when it listens.
// Test-only endpoints under /__harness/: stats (token requests seen, by status) and reset.
import http from 'node:http';
import https from 'node:https';
import { X509Certificate, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_HARNESS_CONFIG ?? '{}');
const prefix = config.issuerPath ?? '';
const tls = config.tls;
const server = tls
  ? https.createServer({
      key: tls.key,
      cert: tls.cert,
      ca: tls.ca,
      requestCert: !!tls.requestCert,
      rejectUnauthorized: false,
    })
  : http.createServer();

/** Token requests seen, in order: the status answered and the client authentication sent (no secret). */
const tokenRequests = [];
/** Every request URL seen (the harness's own aside), in order. */
const seenRequests = [];

function peerCertificate(ctx) {
  const socket = ctx.req.socket;
  if (typeof socket.getPeerX509Certificate !== 'function') return undefined;
  const cert = socket.getPeerX509Certificate();
  return cert instanceof X509Certificate ? cert : undefined;
}

/**
 * The subject of a certificate in RFC 4514 string form, as clients register `tls_client_auth_subject_dn`
 * (RFC 8705 §2.1.2): the most specific RDN first, comma-separated. Node lists the RDNs the other way
 * round (as in the certificate), one per line.
 */
function rfc4514Subject(cert) {
  return cert.subject.split('\n').reverse().join(',');
}

function resourceServerInfo(resourceIndicator) {
  const info = (config.resourceServers ?? {})[resourceIndicator];
  if (!info) throw new Provider.errors.InvalidTarget();
  return {
    scope: info.scope,
    audience: info.audience ?? resourceIndicator,
    accessTokenTTL: info.accessTokenTTL ?? 600,
    accessTokenFormat: info.accessTokenFormat ?? 'jwt',
    jwt: { sign: { alg: 'ES256' } },
  };
}

function features(port) {
  const f = {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    ...(config.features ?? {}),
  };
  if (config.dpop) {
    f.dPoP = {
      enabled: true,
      nonceSecret: config.dpop.nonceSecretHex ? Buffer.from(config.dpop.nonceSecretHex, 'hex') : undefined,
      requireNonce: () => !!config.dpop.requireNonce,
    };
  }
  if (config.resourceServers) {
    f.resourceIndicators = {
      enabled: true,
      defaultResource: () => config.defaultResource,
      getResourceServerInfo: (ctx, resourceIndicator) => resourceServerInfo(resourceIndicator),
      useGrantedResource: () => true,
    };
  }
  if (config.mtls) {
    f.mTLS = {
      enabled: true,
      certificateBoundAccessTokens: !!config.mtls.certificateBoundAccessTokens,
      selfSignedTlsClientAuth: true,
      tlsClientAuth: true,
      getCertificate: (ctx) => peerCertificate(ctx),
      certificateAuthorized: (ctx) => ctx.req.socket.authorized === true,
      certificateSubjectMatches: (ctx, property, expected) =>
        property === 'tls_client_auth_subject_dn' &&
        peerCertificate(ctx) !== undefined &&
        rfc4514Subject(peerCertificate(ctx)) === expected,
    };
  }
  void port;
  return f;
}

/** With `mtls.aliases`: the token endpoint is also served here, and published in `mtls_endpoint_aliases`. */
const MTLS_ALIAS = `/mtls${prefix}/token`;
/**
 * Signing keys when JWT access tokens are issued for resource servers (signed ES256 by default) and
 * the test gives no `jwks`: the quick-start keys hold no EC key. Generated asynchronously (exporting a
 * JWK from a key made by generateKeyPairSync can hang Node 20 when a GC hits at that moment).
 */
async function signingKeys() {
  if (!config.resourceServers || config.providerOptions?.jwks) return undefined;
  const make = promisify(generateKeyPair);
  const rsa = await make('rsa', { modulusLength: 2048 });
  const ec = await make('ec', { namedCurve: 'P-256' });
  return {
    keys: [
      { ...rsa.privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'harness-rs256' },
      { ...ec.privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: 'harness-es256' },
    ],
  };
}
const jwks = await signingKeys();

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const origin = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const issuer = `${origin}${prefix}`;
  const aliases = config.mtls?.aliases ? { mtls_endpoint_aliases: { token_endpoint: `${origin}${MTLS_ALIAS}` } } : {};
  const provider = new Provider(issuer, {
    // Client-credentials clients unless a test says otherwise: no redirect URIs, no response types.
    clients: (config.clients ?? []).map((client) => ({
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      ...client,
    })),
    features: features(port),
    clientAuthMethods: config.clientAuthMethods ?? [
      'client_secret_basic',
      'client_secret_post',
      'client_secret_jwt',
      'private_key_jwt',
      ...(config.mtls ? ['tls_client_auth', 'self_signed_tls_client_auth'] : []),
      'none',
    ],
    scopes: config.scopes ?? ['openid', 'offline_access', 'read', 'write'],
    ttl: { ClientCredentials: config.clientCredentialsTTL ?? 600, ...(config.ttl ?? {}) },
    discovery: { ...aliases },
    ...(jwks ? { jwks } : {}),
    ...(config.providerOptions ?? {}),
  });
  provider.proxy = false;
  // A 500 says only "oops! something went wrong": the cause goes to stderr (see RunningProvider.stderr()).
  provider.on('server_error', (ctx, error) => process.stderr.write(`server_error: ${error?.stack ?? error}\n`));
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url === '/__harness/stats') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ tokenRequests, requests: seenRequests }));
      return;
    }
    if (req.url === '/__harness/reset' && req.method === 'POST') {
      tokenRequests.length = 0;
      seenRequests.length = 0;
      res.end('{}');
      return;
    }
    seenRequests.push(req.url);
    // RFC 8414 §3.1: the metadata at the well-known location inserted before the issuer's path.
    if (config.rfc8414 && req.url === `/.well-known/oauth-authorization-server${prefix}`) {
      req.url = `${prefix}/.well-known/openid-configuration`;
    }
    const viaAlias = !!config.mtls?.aliases && req.url.split('?')[0] === MTLS_ALIAS;
    if (viaAlias) req.url = `${prefix}/token`;
    const path = req.url.split('?')[0];
    if (req.method === 'POST' && path === `${prefix}/token`) {
      const entry = {
        status: 0,
        dpop: typeof req.headers.dpop === 'string',
        basic: /^basic /i.test(req.headers.authorization ?? ''),
        ...(viaAlias ? { mtlsAlias: true } : {}),
      };
      tokenRequests.push(entry);
      res.on('finish', () => {
        entry.status = res.statusCode;
      });
    }
    if (prefix && req.url.startsWith(prefix)) {
      req.originalUrl = req.url;
      req.baseUrl = prefix;
      req.url = req.url.slice(prefix.length) || '/';
    }
    callback(req, res);
  });
  process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
});
