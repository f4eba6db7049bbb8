/** The embedded server's token exchange grant (RFC 8693), spoken to directly over HTTP. */
import axios from 'axios';
import { startAuthServer, type AuthServer, type AuthServerOptions } from '../../src/testing';

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const AT = 'urn:ietf:params:oauth:token-type:access_token';
const JWT = 'urn:ietf:params:oauth:token-type:jwt';

let server: AuthServer | undefined;
afterEach(async () => {
  jest.useRealTimers();
  await server?.close();
  server = undefined;
});

async function start(options: AuthServerOptions = { tokenExchange: {} }): Promise<AuthServer> {
  server = await startAuthServer(options);
  return server;
}

function exchange(s: AuthServer, params: Record<string, string>, secret = s.clientSecret) {
  return axios.post(s.tokenUrl, new URLSearchParams({ grant_type: GRANT, ...params }).toString(), {
    auth: { username: s.clientId, password: secret },
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    validateStatus: () => true,
  });
}

test('issues a token bound to the subject, with issued_token_type; the API echoes the subject; the subject token is no API token', async () => {
  const s = await start();
  const subject = s.issueSubjectToken('alice');
  const actor = s.issueSubjectToken('orders-service');
  const answer = await exchange(s, {
    subject_token: subject,
    subject_token_type: AT,
    actor_token: actor,
    actor_token_type: AT,
    audience: 'billing',
  });
  expect(answer.status).toBe(200);
  expect(answer.data).toEqual({
    access_token: expect.any(String),
    token_type: 'bearer',
    expires_in: 1200,
    issued_token_type: AT,
  });
  expect(s.issuedTokens()).toEqual([
    expect.objectContaining({ subject: 'alice', actor: 'orders-service', audience: 'billing', grantType: GRANT }),
  ]);
  const api = await axios.get(`${s.apiBaseUrl}/me`, {
    headers: { Authorization: `Bearer ${answer.data.access_token}` },
  });
  expect(api.data.subject).toBe('alice');
  const refused = await axios.get(`${s.apiBaseUrl}/me`, {
    headers: { Authorization: `Bearer ${subject}` },
    validateStatus: () => true,
  });
  expect(refused.status).toBe(401);
  // requested_token_type is answered as issued_token_type.
  const asJwt = await exchange(s, { subject_token: subject, subject_token_type: AT, requested_token_type: JWT });
  expect(asJwt.data.issued_token_type).toBe(JWT);
  expect(s.counters).toMatchObject({ tokenCalls: 2, tokenSuccesses: 2 });
});

test.each<[string, Record<string, string>, AuthServerOptions['tokenExchange'], string]>([
  ['no subject_token', { subject_token_type: AT }, {}, 'invalid_request'],
  ['no subject_token_type', { subject_token: 'SUBJECT' }, {}, 'invalid_request'],
  ['an unknown subject_token_type', { subject_token: 'SUBJECT', subject_token_type: 'urn:x:y' }, {}, 'invalid_request'],
  [
    'actor_token without its type',
    { subject_token: 'SUBJECT', subject_token_type: AT, actor_token: 'a' },
    {},
    'invalid_request',
  ],
  [
    'an unsupported requested_token_type',
    {
      subject_token: 'SUBJECT',
      subject_token_type: AT,
      requested_token_type: 'urn:ietf:params:oauth:token-type:saml2',
    },
    {},
    'invalid_request',
  ],
  [
    'an audience not served',
    { subject_token: 'SUBJECT', subject_token_type: AT, audience: 'payroll' },
    { audiences: ['billing'] },
    'invalid_target',
  ],
  [
    'a resource not served',
    { subject_token: 'SUBJECT', subject_token_type: AT, resource: 'https://other.example/' },
    { resources: ['https://api.example/'] },
    'invalid_target',
  ],
  ['a subject token it did not issue', { subject_token: 'not-issued', subject_token_type: AT }, {}, 'invalid_request'],
])('%s: HTTP 400 with the RFC 8693 §2.2.2 error code', async (_, params, options, error) => {
  const s = await start({ tokenExchange: options });
  const subject = s.issueSubjectToken('bob');
  const withSubject = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === 'SUBJECT' ? subject : v]));
  const answer = await exchange(s, withSubject);
  expect(answer.status).toBe(400);
  expect(answer.data.error).toBe(error);
  expect(s.issuedTokens()).toHaveLength(0);
});

test('the client is authenticated first; without the option the grant is unsupported', async () => {
  const s = await start();
  const subject = s.issueSubjectToken('carol');
  expect((await exchange(s, { subject_token: subject, subject_token_type: AT }, 'wrong')).data.error).toBe(
    'invalid_client',
  );
  await s.close();
  const plain = await start({});
  const answer = await exchange(plain, { subject_token: 'x', subject_token_type: AT });
  expect(answer.data.error).toBe('unsupported_grant_type');
});

test('a subject token past its lifetime is refused (the server’s clock)', async () => {
  const s = await start();
  jest.useFakeTimers({
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'performance',
      'hrtime',
    ],
  });
  const subject = s.issueSubjectToken('dave', { lifetimeSeconds: 60 });
  jest.setSystemTime(Date.now() + 59_999);
  expect((await exchange(s, { subject_token: subject, subject_token_type: AT })).status).toBe(200);
  jest.setSystemTime(Date.now() + 1);
  expect((await exchange(s, { subject_token: subject, subject_token_type: AT })).data.error).toBe('invalid_request');
});

test('a JWT subject token carries sub and exp; subjectTokens "any" accepts foreign tokens (JWT sub, else a hash)', async () => {
  const s = await start({ tokenExchange: { subjectTokens: 'any' } });
  const before = Math.floor(Date.now() / 1000);
  const jwt = s.issueSubjectToken('erin', { format: 'jwt', lifetimeSeconds: 600 });
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as { sub: string; exp: number };
  expect(claims.sub).toBe('erin');
  expect(claims.exp - before).toBeGreaterThanOrEqual(599);
  expect(claims.exp - before).toBeLessThanOrEqual(601);
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const foreign = `${part({ alg: 'RS256' })}.${part({ sub: 'frank' })}.sig`;
  await exchange(s, { subject_token: foreign, subject_token_type: JWT });
  await exchange(s, { subject_token: 'some-opaque-token', subject_token_type: AT });
  const subjects = s.issuedTokens().map((t) => t.subject);
  expect(subjects[0]).toBe('frank');
  expect(subjects[1]).toMatch(/^opaque:[0-9a-f]{16}$/);
});
