/**
 * Workload identity against a certified authorization server (oidc-provider), which verifies the
 * signature: a client registered for `private_key_jwt` with a JWKS standing in for the federated
 * issuer (the platform's key), and the assertion coming from a token file the platform rotates
 * (`startTokenFile`, `iss` = `sub` = the client id, `aud` = the issuer). One token request for a cold
 * burst, the token active at introspection; the rotated file is used by the next token request.
 * oidc-provider treats a client assertion's `jti` as single-use: the same file content is refused a
 * second time, which is what a platform token reused before rotation meets at such a server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import axios from 'axios';
import { attachOAuth2, TokenEndpointError } from '../../src';
import { clientAssertionFile } from '../../src/features/client-auth';
import { startTokenFile, type TokenFile } from '../../src/testing';
import { startProvider, type RunningProvider } from '../helpers/oidc/start-provider';
import { startIntrospectingResourceServer, type ResourceServer } from '../helpers/oidc/resource-server';

const INTROSPECTOR = { id: 'introspector', secret: 'introspector-secret-0123456789abcdef' };
const platform = generateKeyPairSync('ec', { namedCurve: 'P-256' });

let provider: RunningProvider;
let api: ResourceServer;
let dir: string;
let tokens: TokenFile;
beforeAll(async () => {
  provider = await startProvider({
    clients: [
      {
        client_id: INTROSPECTOR.id,
        client_secret: INTROSPECTOR.secret,
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'read',
      },
      {
        client_id: 'workload',
        scope: 'read',
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [{ ...platform.publicKey.export({ format: 'jwk' }), kid: 'platform-key' }] },
      },
    ],
  });
  api = await startIntrospectingResourceServer({
    url: `${provider.issuer}/token/introspection`,
    clientId: INTROSPECTOR.id,
    clientSecret: INTROSPECTOR.secret,
  });
}, 30_000);
afterAll(async () => {
  await api?.close();
  await provider?.stop();
});
beforeEach(async () => {
  await provider.reset();
  api.seen.length = 0;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oidc-workload-'));
  tokens = startTokenFile({
    path: path.join(dir, 'token'),
    issuer: 'workload',
    subject: 'workload',
    audience: provider.issuer,
    privateKey: platform.privateKey,
    kid: 'platform-key',
  });
});
afterEach(() => {
  tokens.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function attach() {
  const client = axios.create({ baseURL: api.url });
  const auth = attachOAuth2(client, {
    tokenUrl: provider.tokenUrl,
    clientId: 'workload',
    scope: 'read',
    clientAuthentication: clientAssertionFile(tokens.path),
  });
  return { client, auth };
}

test('a cold burst of 20: 1 token request, the token active; the rotated file is used by the next token request', async () => {
  const { client, auth } = attach();
  const answers = await Promise.all(Array.from({ length: 20 }, () => client.get('/resource')));
  expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
  const first = await auth.getAccessToken();
  expect(api.seen.every((seen) => seen.accepted && seen.token === first)).toBe(true);

  tokens.rotate();
  await auth.invalidate();
  expect((await client.get('/resource')).status).toBe(200);
  expect(await auth.getAccessToken()).not.toBe(first);
  expect(await provider.tokenRequests()).toEqual([
    { status: 200, dpop: false, basic: false },
    { status: 200, dpop: false, basic: false },
  ]);
  auth.detach();
});

test('the same file content twice: oidc-provider refuses the replayed jti (invalid_client)', async () => {
  const { auth } = attach();
  await auth.getAccessToken();
  await auth.invalidate();
  const error = (await auth.getAccessToken().catch((e: unknown) => e)) as TokenEndpointError;
  expect(error).toBeInstanceOf(TokenEndpointError);
  expect(error.error).toBe('invalid_client');
  expect(await provider.tokenRequests()).toEqual([
    { status: 200, dpop: false, basic: false },
    { status: 401, dpop: false, basic: false },
  ]);
  auth.detach();
});

test('a token signed by another key: invalid_client', async () => {
  tokens.stop();
  tokens = startTokenFile({
    path: tokens.path,
    issuer: 'workload',
    subject: 'workload',
    audience: provider.issuer,
    kid: 'platform-key',
  });
  const { auth } = attach();
  const error = (await auth.getAccessToken().catch((e: unknown) => e)) as TokenEndpointError;
  expect(error.error).toBe('invalid_client');
  auth.detach();
});
