/**
 * Token exchange (RFC 8693) against the embedded server: what is sent, one token per subject, the
 * subject from the request or from the attach-time function, the handle calls, and the errors.
 */
import axios from 'axios';
import { attachOAuth2, OAuth2RequestOptionsError, InvalidTokenResponseError } from '../../../src';
import { tokenExchange, TOKEN_TYPES, TOKEN_EXCHANGE_GRANT } from '../../../src/features/token-exchange';
import { startAuthServer, type AuthServer, type EchoBody } from '../../../src/testing';

let server: AuthServer;
beforeEach(async () => {
  server = await startAuthServer({ tokenExchange: {} });
});
afterEach(async () => {
  await server.close();
});

function attach(extra: Parameters<typeof tokenExchange>[0] | undefined = undefined) {
  const api = axios.create({ baseURL: server.apiBaseUrl });
  const auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    grant: tokenExchange(extra ?? { subjectTokenType: TOKEN_TYPES.accessToken, audience: 'billing' }),
  });
  return { api, auth };
}

const form = (i: number) => Object.fromEntries(new URLSearchParams(server.tokenRequests()[i].body));

test('each request is sent with a token issued for its own subject; one token call per subject', async () => {
  const { api, auth } = attach();
  const alice = server.issueSubjectToken('alice');
  const bob = server.issueSubjectToken('bob');
  const answers = await Promise.all(
    [alice, bob, alice, bob, alice].map((subjectToken) => api.get<EchoBody>('/users', { oauth2: { subjectToken } })),
  );
  expect(answers.map((a) => a.data.subject)).toEqual(['alice', 'bob', 'alice', 'bob', 'alice']);
  expect(server.counters.tokenCalls).toBe(2);
  const sent = [form(0), form(1)].sort((a, b) => (a.subject_token === alice ? -1 : b.subject_token === alice ? 1 : 0));
  expect(sent[0]).toEqual({
    grant_type: TOKEN_EXCHANGE_GRANT,
    subject_token: alice,
    subject_token_type: TOKEN_TYPES.accessToken,
    audience: 'billing',
  });
  expect(sent[1].subject_token).toBe(bob);
  // Later requests use the cached tokens.
  await api.get('/users', { oauth2: { subjectToken: bob } });
  expect(server.counters.tokenCalls).toBe(2);
  auth.detach();
});

test('a request without a subject fails with OAuth2RequestOptionsError, and no token call', async () => {
  const { api, auth } = attach();
  const error = await api.get('/users').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OAuth2RequestOptionsError);
  expect((error as OAuth2RequestOptionsError).option).toBe('oauth2.subjectToken');
  expect(server.counters.tokenCalls).toBe(0);
  expect(server.counters.apiCalls).toBe(0);
  auth.detach();
});

test('the subject derived from the request config by the attach-time function', async () => {
  const users: Record<string, string> = { u1: server.issueSubjectToken('carol'), u2: server.issueSubjectToken('dave') };
  const { api, auth } = attach({
    subjectTokenType: TOKEN_TYPES.accessToken,
    subjectToken: (config) => users[(config as { headers: { get(n: string): string } }).headers.get('X-User')],
  });
  const carol = await api.get<EchoBody>('/me', { headers: { 'X-User': 'u1' } });
  const dave = await api.get<EchoBody>('/me', { headers: { 'X-User': 'u2' } });
  expect([carol.data.subject, dave.data.subject]).toEqual(['carol', 'dave']);
  // oauth2.subjectToken wins over the function.
  const explicit = await api.get<EchoBody>('/me', { headers: { 'X-User': 'u1' }, oauth2: { subjectToken: users.u2 } });
  expect(explicit.data.subject).toBe('dave');
  expect(server.counters.tokenCalls).toBe(2);
  // No user: the function returns undefined, the request fails without a token call.
  await expect(api.get('/me')).rejects.toBeInstanceOf(OAuth2RequestOptionsError);
  expect(server.counters.tokenCalls).toBe(2);
  auth.detach();
});

test('handle calls take the subject: getToken, getAccessToken, invalidate', async () => {
  const { api, auth } = attach();
  const erin = server.issueSubjectToken('erin');
  const first = await auth.getToken({ subjectToken: erin });
  expect(server.issuedTokens().find((t) => t.token === first.accessToken)?.subject).toBe('erin');
  expect(await auth.getAccessToken({ subjectToken: erin })).toBe(first.accessToken);
  const sent = await api.get<EchoBody>('/x', { oauth2: { subjectToken: erin } });
  expect(sent.data.subject).toBe('erin');
  expect(server.counters.tokenCalls).toBe(1);
  await auth.invalidate({ subjectToken: erin });
  const second = await auth.getToken({ subjectToken: erin });
  expect(second.accessToken).not.toBe(first.accessToken);
  expect(server.counters.tokenCalls).toBe(2);
  // invalidate of a subject never seen: nothing to do, no entry made, no call.
  await auth.invalidate({ subjectToken: server.issueSubjectToken('nobody') });
  expect(server.counters.tokenCalls).toBe(2);
  await expect(auth.getToken()).rejects.toMatchObject({ option: 'getToken.subjectToken' });
  auth.detach();
});

test('subjectToken on an attachment without token exchange is refused, naming it', async () => {
  const api = axios.create({ baseURL: server.apiBaseUrl });
  const auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
  });
  await expect(api.get('/x', { oauth2: { subjectToken: 'abcd' } })).rejects.toMatchObject({
    option: 'oauth2.subjectToken',
  });
  await expect(auth.getToken({ subjectToken: 'abcd' })).rejects.toMatchObject({ option: 'getToken.subjectToken' });
  expect(server.counters.tokenCalls).toBe(0);
  auth.detach();
});

test('a 401 renews the subject’s own token and replays once', async () => {
  const { api, auth } = attach();
  const frank = server.issueSubjectToken('frank');
  const grace = server.issueSubjectToken('grace');
  await api.get('/a', { oauth2: { subjectToken: frank } });
  await api.get('/a', { oauth2: { subjectToken: grace } });
  server.revokeAllTokens();
  const replayed = await api.get<EchoBody>('/a', { oauth2: { subjectToken: frank } });
  expect(replayed.data.subject).toBe('frank');
  expect(server.counters.tokenCalls).toBe(3);
  expect(form(2).subject_token).toBe(frank);
  auth.detach();
});

test('an actor token (a function) is read again for every token request; actor recorded', async () => {
  const service = server.issueSubjectToken('orders-service');
  let reads = 0;
  const { api, auth } = attach({
    subjectTokenType: TOKEN_TYPES.accessToken,
    actorToken: () => {
      reads += 1;
      return service;
    },
    actorTokenType: TOKEN_TYPES.accessToken,
  });
  await api.get('/a', { oauth2: { subjectToken: server.issueSubjectToken('heidi') } });
  await api.get('/a', { oauth2: { subjectToken: server.issueSubjectToken('ivan') } });
  expect(reads).toBe(2);
  expect(form(0)).toMatchObject({ actor_token: service, actor_token_type: TOKEN_TYPES.accessToken });
  expect(server.issuedTokens().map((t) => [t.subject, t.actor])).toEqual([
    ['heidi', 'orders-service'],
    ['ivan', 'orders-service'],
  ]);
  auth.detach();
});

test('server errors per RFC 8693 §2.2.2 reach the caller typed (invalid_target, invalid_request)', async () => {
  await server.close();
  server = await startAuthServer({ tokenExchange: { audiences: ['billing'] } });
  const { api, auth } = attach({ subjectTokenType: TOKEN_TYPES.accessToken, audience: 'payroll' });
  await expect(api.get('/a', { oauth2: { subjectToken: server.issueSubjectToken('judy') } })).rejects.toMatchObject({
    name: 'TokenEndpointError',
    error: 'invalid_target',
  });
  auth.detach();
  const billing = attach();
  await expect(billing.api.get('/a', { oauth2: { subjectToken: 'not-issued-here' } })).rejects.toMatchObject({
    error: 'invalid_request',
  });
  billing.auth.detach();
});

test('issued_token_type missing or not the requested one: InvalidTokenResponseError naming the field', async () => {
  const { api, auth } = attach({
    subjectTokenType: TOKEN_TYPES.accessToken,
    requestedTokenType: TOKEN_TYPES.jwt,
  });
  const ok = await api.get<EchoBody>('/a', { oauth2: { subjectToken: server.issueSubjectToken('kim') } });
  expect(ok.data.subject).toBe('kim');
  expect(form(0).requested_token_type).toBe(TOKEN_TYPES.jwt);
  const body = { access_token: 'tok-xyz-1', token_type: 'Bearer', expires_in: 60 };
  server.injectTokenFaults([
    { type: 'status', status: 200, body },
    { type: 'status', status: 200, body: { ...body, issued_token_type: TOKEN_TYPES.accessToken } },
  ]);
  const missing = await api
    .get('/a', { oauth2: { subjectToken: server.issueSubjectToken('lee') } })
    .catch((e: unknown) => e);
  expect(missing).toBeInstanceOf(InvalidTokenResponseError);
  expect(missing).toMatchObject({ field: 'issued_token_type' });
  const other = await api
    .get('/a', { oauth2: { subjectToken: server.issueSubjectToken('max') } })
    .catch((e: unknown) => e);
  expect(other).toMatchObject({ field: 'issued_token_type' });
  expect((other as Error).message).toContain(TOKEN_TYPES.jwt);
  expect(server.counters.apiCalls).toBe(1);
  auth.detach();
});

test('without requestedTokenType, an issued type that is not an access token is refused', async () => {
  const { api, auth } = attach();
  server.injectTokenFaults([
    {
      type: 'status',
      status: 200,
      body: { access_token: 'tok-abc-1', token_type: 'Bearer', expires_in: 60, issued_token_type: TOKEN_TYPES.idToken },
    },
  ]);
  await expect(api.get('/a', { oauth2: { subjectToken: server.issueSubjectToken('ned') } })).rejects.toMatchObject({
    field: 'issued_token_type',
  });
  auth.detach();
});

test('a refresh token in an exchange response is never used: renewals exchange the subject again', async () => {
  const { auth } = attach();
  const olga = server.issueSubjectToken('olga');
  const body = (n: number) => ({
    access_token: `tok-olga-${n}`,
    token_type: 'Bearer',
    expires_in: 3600,
    issued_token_type: TOKEN_TYPES.accessToken,
    refresh_token: `refresh-olga-${n}`,
  });
  server.injectTokenFaults([{ type: 'status', status: 200, body: body(1) }]);
  expect(await auth.getAccessToken({ subjectToken: olga })).toBe('tok-olga-1');
  await auth.getToken({ subjectToken: olga, forceRefresh: true });
  await auth.getToken({ subjectToken: server.issueSubjectToken('pat') });
  // The first call was answered by the injected fault before its body was read.
  expect(server.counters.tokenCalls).toBe(3);
  expect(server.tokenRequests().map((r) => new URLSearchParams(r.body).get('grant_type'))).toEqual([
    null,
    TOKEN_EXCHANGE_GRANT,
    TOKEN_EXCHANGE_GRANT,
  ]);
  expect(server.tokenRequests().some((r) => r.body.includes('refresh-olga'))).toBe(false);
  auth.detach();
});

test('the grant’s scope and resource are sent as the attachment’s; a request’s oauth2.scope selects another token', async () => {
  const { api, auth } = attach({
    subjectTokenType: TOKEN_TYPES.accessToken,
    scope: 'read',
    resource: 'https://api.example.com/',
  });
  const quinn = server.issueSubjectToken('quinn');
  await api.get('/a', { oauth2: { subjectToken: quinn } });
  await api.get('/a', { oauth2: { subjectToken: quinn, scope: 'write' } });
  await api.get('/a', { oauth2: { subjectToken: quinn } });
  expect(server.counters.tokenCalls).toBe(2);
  expect(form(0)).toMatchObject({ scope: 'read', resource: 'https://api.example.com/', subject_token: quinn });
  expect(form(1)).toMatchObject({ scope: 'write', resource: 'https://api.example.com/', subject_token: quinn });
  auth.detach();
});

test('at most maxSubjects subjects are kept: the least recently used is dropped and exchanged again', async () => {
  const { api, auth } = attach({ subjectTokenType: TOKEN_TYPES.accessToken, maxSubjects: 2 });
  const [a, b, c] = ['ruth', 'sam', 'tina'].map((name) => server.issueSubjectToken(name));
  const get = (subjectToken: string) => api.get('/a', { oauth2: { subjectToken } });
  await get(a);
  await get(b);
  await get(a); // a most recent: b is the oldest
  expect(server.counters.tokenCalls).toBe(2);
  await get(c); // drops b
  await get(a);
  expect(server.counters.tokenCalls).toBe(3);
  await get(b); // exchanged again (drops c)
  expect(server.counters.tokenCalls).toBe(4);
  expect(server.tokenRequests().map((r) => new URLSearchParams(r.body).get('subject_token'))).toEqual([a, b, c, b]);
  auth.detach();
});
