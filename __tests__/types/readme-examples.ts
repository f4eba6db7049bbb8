/**
 * API usage once shown in the README (now docs/ and examples/recipes/, which run): client authentication, discovery, several tokens, DPoP,
 * observability, closing and the testing server, as written there. Compiled by
 * __tests__/types/types.test.ts (and by `npm run typecheck`); nothing here runs.
 */
import axios from 'axios';
import * as fs from 'node:fs';
import { Agent } from 'node:https';
import dc from 'node:diagnostics_channel';
import { attachOAuth2 } from '../../src';
import { discover, DiscoveryError } from '../../src/features/discovery';
import {
  diagnosticsChannels,
  TOKEN_TRACE_CHANNEL,
  type TokenTraceMessage,
  type CacheMessage,
} from '../../src/features/diagnostics';
import { revokeOnClose } from '../../src/features/revocation';
import { startAuthServer } from '../../src/testing';
import { clientSecretJwt, privateKeyJwt, tlsClientAuth } from '../../src/features/client-auth';
import { dpop } from '../../src/features/dpop';
import { instrumentOAuth2 } from '../../examples/opentelemetry/instrument';

declare const tokenUrl: string;
declare const clientId: string;
declare const clientSecret: string;
declare function readWorkloadToken(): Promise<string>;
declare const misses: { inc(labels: { cacheKey: string }): void };
declare const fetchSeconds: { observe(labels: { outcome?: string }, seconds: number): void };
declare const publicJwk: Record<string, unknown>;

export async function useHandle(): Promise<void> {
  const api = axios.create({ baseURL: 'https://api.sandbox.mangopay.com/v2.01/my-client' });
  const auth = attachOAuth2(api, { tokenUrl, clientId, clientSecret });
  await auth.getAccessToken(); // the cached token, or one fresh fetch shared by all callers
  await auth.getToken(); // { accessToken, tokenType: 'Bearer' | 'DPoP', expiresAt?: number (epoch ms), scope? }
  await auth.getToken({ forceRefresh: true }); // drop the cached token and fetch a new one
  await auth.invalidate(); // forget the cached token
  auth.detach(); // remove the plugin's interceptors; the instance is as it was
  await auth.close(); // detach, then revoke the token at `revocationUrl` when set
}

export function clientAuthentication(): void {
  const api = axios.create({ baseURL: 'https://api.example.com' });
  attachOAuth2(api, {
    tokenUrl: 'https://auth.example.com/oauth2/token',
    clientId: 'my-service',
    // PEM, a KeyObject, or a private JWK; kid: the JWS kid (a JWK's own kid otherwise);
    // alg: when the server registered another algorithm than the key's default (e.g. 'PS256')
    clientAuthentication: privateKeyJwt(process.env.CLIENT_PRIVATE_KEY_PEM!, { kid: 'key-2025-01' }),
  });
  attachOAuth2(axios.create(), { tokenUrl, clientId, clientAuthentication: clientSecretJwt(clientSecret) });
}

export function mutualTls(): void {
  const api = axios.create({
    baseURL: 'https://api.bank.example',
    httpsAgent: new Agent({ key: fs.readFileSync('client.key'), cert: fs.readFileSync('client.crt') }),
  });
  attachOAuth2(api, {
    tokenUrl: discover('https://as.bank.example'), // or the token URL
    clientId: 'my-client',
    clientAuthentication: tlsClientAuth(), // or selfSignedTlsClientAuth()
  });
}

export function customGrant(): void {
  attachOAuth2(axios.create(), {
    tokenUrl,
    clientId,
    clientSecret,
    grant: {
      type: 'custom',
      grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
      parameters: async () => ({
        subject_token: await readWorkloadToken(),
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      }),
    },
  });
}

export async function discovery(): Promise<void> {
  const api = axios.create({ baseURL: 'https://api.example.com' });
  attachOAuth2(api, { tokenUrl: discover('https://login.example.com/tenant-a'), clientId, clientSecret });
  try {
    await api.get('/users');
  } catch (error) {
    if (error instanceof DiscoveryError) console.log(error.code, error.reason, error.urls, error.retryAt);
  }
}

export async function severalTokens(): Promise<void> {
  const api = axios.create({ baseURL: 'https://api.example.com' });
  const auth = attachOAuth2(api, {
    tokenUrl: 'https://auth.example.com/oauth/token',
    clientId,
    clientSecret,
    scope: 'read',
    resource: 'https://api.example.com',
    apiOrigins: [
      'https://api.example.com', // the attachment's own token
      { origin: 'https://billing.example.com', resource: 'https://billing.example.com' },
      { origin: 'https://reports.example.com', scope: 'reports', resource: 'https://reports.example.com' },
    ],
    maxCachedTokens: 32,
  });
  await api.get('https://billing.example.com/invoices'); // the billing token, no per-request option needed
  await api.get('/payouts', { oauth2: { scope: 'payouts:read' } }); // a token for that scope
  await api.get('/status', { oauth2: { skip: true } }); // no bearer

  await auth.getToken({ resource: 'https://billing.example.com' });
  await auth.getToken({ scope: 'reports', forceRefresh: true });
  await auth.getAccessToken({ resource: 'https://billing.example.com' });
  await auth.invalidate({ resource: 'https://billing.example.com' }); // that token only
}

export function senderConstraint(): void {
  attachOAuth2(axios.create(), { tokenUrl, clientId, clientSecret, senderConstraint: dpop() }); // a fresh ES256 key
  const senderConstraint = dpop({ privateKey: process.env.DPOP_KEY_PEM! }); // PEM, KeyObject or private JWK
  attachOAuth2(axios.create(), { tokenUrl, clientId, clientSecret, senderConstraint });
}

export function observability(): () => void {
  const api = axios.create({ baseURL: 'https://api.example.com' });
  attachOAuth2(api, { tokenUrl, clientId, clientSecret, extensions: [diagnosticsChannels()] });
  dc.subscribe('axios-oauth2-bearer:cache-miss', (message) => misses.inc(message as CacheMessage));
  const started = new WeakMap<object, number>();
  dc.tracingChannel<TokenTraceMessage>(TOKEN_TRACE_CHANNEL).subscribe({
    start: (m) => started.set(m, performance.now()),
    end: () => undefined,
    asyncStart: () => undefined,
    asyncEnd: (m) => fetchSeconds.observe({ outcome: m.outcome }, (performance.now() - started.get(m)!) / 1000),
    error: () => undefined,
  });
  const stop = instrumentOAuth2(); // the global providers, or { tracerProvider, meterProvider }
  return stop;
}

export async function closing(): Promise<void> {
  const api = axios.create({ baseURL: 'https://api.example.com' });
  const auth = attachOAuth2(api, {
    tokenUrl,
    clientId,
    clientSecret,
    extensions: [revokeOnClose({ url: 'https://auth.example.com/oauth/revoke' })],
    hooks: { onRevocationFailed: ({ status, error, message }) => console.warn(message, status, error) },
  });
  await auth.close(); // or close({ revoke: false })
  {
    await using scoped = attachOAuth2(axios.create({ baseURL: 'https://api.example.com' }), {
      tokenUrl,
      clientId,
      clientSecret,
    });
    await scoped.getAccessToken();
  } // scoped.close() runs here
}

export async function testingServer(tls: { key: string; cert: string; ca: string }): Promise<unknown[]> {
  const server = await startAuthServer({
    tls: { key: tls.key, cert: tls.cert, ca: tls.ca }, // serve https
    mtls: { subjectDn: 'CN=sdk-client' }, // authenticate clients by certificate, bind tokens to it
    discovery: { serve: ['oauth-authorization-server'] }, // publish the metadata
    clientAssertion: { publicKey: publicJwk }, // verify private_key_jwt assertions
    dpop: { requireNonceAtTokenEndpoint: true, requireNonceAtApi: true }, // require DPoP proofs and nonces
  });
  server.rotateDPoPNonces();
  await server.close();
  // the RFC 7009 endpoint and its counters, the metadata requests served
  return [
    server.revocationUrl,
    server.counters.revocationCalls,
    server.counters.revokedTokens,
    server.metadataRequests(),
  ];
}
