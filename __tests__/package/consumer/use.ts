// Type-checks the public API as a consumer sees it (checked with moduleResolution node16 and bundler).
import axios from 'axios';
import {
  attachOAuth2,
  mangopay,
  musement,
  OAuth2Error,
  TokenEndpointError,
  AccountLockedError,
  InvalidTokenResponseError,
  type OAuth2Handle,
  type OAuth2Options,
  type TokenStore,
} from 'axios-oauth2-bearer';
import {
  CHANNEL_NAMES,
  diagnosticsChannels,
  TOKEN_TRACE_CHANNEL,
  type TokenTraceMessage,
} from 'axios-oauth2-bearer/diagnostics';
import { discover, DiscoveryError } from 'axios-oauth2-bearer/discovery';
import { revokeOnClose } from 'axios-oauth2-bearer/revocation';
import { startAuthServer, type AuthServer } from 'axios-oauth2-bearer/testing';
import { dpop, type DPoPConstraint, type DPoPOptions } from 'axios-oauth2-bearer/dpop';
import { privateKeyJwt, tlsClientAuth, type ClientAuth } from 'axios-oauth2-bearer/client-auth';

const preset = mangopay({ environment: 'sandbox', clientId: 'id', apiKey: 'key' });
const api = axios.create({ baseURL: preset.baseURL });
const handle: OAuth2Handle = attachOAuth2(api, preset);
const options: OAuth2Options = {
  tokenUrl: 'https://x.example/token',
  clientId: 'a',
  clientSecret: 'b',
  lockout: { whileLocked: 'wait' },
  extensions: [revokeOnClose({ url: 'https://x.example/revoke' }), diagnosticsChannels()],
  hooks: { onRevocationFailed: (event) => void event.status },
};
const discovered: OAuth2Options = { tokenUrl: discover('https://x.example/tenant'), clientId: 'a', clientSecret: 'b' };
const isDiscoveryError = (e: unknown): boolean => e instanceof DiscoveryError && e.reason === 'issuer_mismatch';
const m = musement({ environment: 'production', clientId: 'a', clientSecret: 'b', application: 'app' });
void api.get('/users', { oauth2: { skip: true } }); // the per-request option is typed through module augmentation
const token: Promise<string> = handle.getAccessToken();
function describe(e: unknown): string {
  if (e instanceof AccountLockedError) return `retry in ${e.retryAfterMs} ms at ${new Date(e.retryAt).toISOString()}`;
  if (e instanceof TokenEndpointError) return `${e.code} ${e.error ?? ''} ${e.status ?? ''}`;
  if (e instanceof InvalidTokenResponseError) return e.field;
  return e instanceof OAuth2Error ? e.code : 'other';
}
const store: TokenStore | undefined = undefined;
// Disposal and diagnostics channels, typed without lib esnext.disposable or @types/node.
const closed: Promise<void> = handle.close({ revoke: false });
const dispose: () => Promise<void> = () => handle[Symbol.asyncDispose]();
const channels: readonly string[] = [...CHANNEL_NAMES, TOKEN_TRACE_CHANNEL];
const traced = (message: TokenTraceMessage): string => `${message.cacheKey} ${message.outcome ?? ''}`;
export { closed, dispose, channels, traced };
const server: Promise<AuthServer> = startAuthServer();
export { options, m, token, describe, store, server, discovered, isDiscoveryError };

// The dpop subpath: a sender constraint value given to the senderConstraint option.
const dpopOptions: DPoPOptions = { privateKey: '-----BEGIN PRIVATE KEY-----' };
export const makeConstraint = (): DPoPConstraint => dpop(dpopOptions);
export const constrained: OAuth2Options = {
  tokenUrl: 'https://x.example/token',
  clientId: 'a',
  clientSecret: 'b',
  senderConstraint: dpop(),
};
const viaKey: OAuth2Options = {
  tokenUrl: 'https://x.example/token',
  clientId: 'a',
  clientAuthentication: privateKeyJwt('-----BEGIN PRIVATE KEY-----', { alg: 'ES256', kid: 'k' }),
};
const viaTls: ClientAuth = tlsClientAuth();
export { viaKey, viaTls };
