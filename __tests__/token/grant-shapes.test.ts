import axios, { type AxiosRequestConfig } from 'axios';
import { AccountLockedError, TokenEndpointError, type ClientAuthentication, type GrantOptions } from '../../src';
import {
  CLIENT_ID as ID,
  CLIENT_SECRET as SECRET,
  TOKEN_URL,
  T0,
  tokenBody,
  createCore,
  formPairs,
  headerOf,
  type Core,
  type Reply,
} from '../helpers/harness';

const USER = 'jane@example.com';
const PASSWORD = 'p@ss w0rd&=';
const FORM = 'application/x-www-form-urlencoded';

const basic = `Basic ${Buffer.from(`${ID}:${SECRET}`).toString('base64')}`;
const fullUrl = (config: AxiosRequestConfig) => axios.getUri(config);

type Case = { grant: GrantOptions; auth: ClientAuthentication | 'query'; grantPairs: Array<[string, string]> };
const grants: Array<Pick<Case, 'grant' | 'grantPairs'>> = [
  { grant: { type: 'client_credentials' }, grantPairs: [['grant_type', 'client_credentials']] },
  {
    grant: { type: 'password', username: USER, password: PASSWORD },
    grantPairs: [
      ['grant_type', 'password'],
      ['username', USER],
      ['password', PASSWORD],
    ],
  },
];
const auths: Array<ClientAuthentication | 'query'> = ['client_secret_basic', 'client_secret_post', 'query'];
const cases: Case[] = grants.flatMap((g) => auths.map((auth) => ({ ...g, auth })));

describe('grant × client authentication', () => {
  test.each(cases.map((c) => [c.grant.type, c.auth, c] as const))('%s × %s', async (_g, _a, c) => {
    const core = createCore({
      options: {
        grant: c.grant,
        ...(c.auth === 'query' ? { tokenRequestFormat: 'query' } : { clientAuthentication: c.auth }),
      },
    });
    expect((await core.api.get('/me')).data.authorization).toBe('Bearer tok-1');
    expect(core.tokenCalls).toHaveLength(1);
    const call = core.tokenCalls[0];
    const url = fullUrl(call);
    expect(headerOf(call, 'Accept')).toBe('application/json');

    if (c.auth === 'query') {
      expect(call.method).toBe('get');
      expect(call.url).toBe(TOKEN_URL);
      expect(call.data).toBeUndefined();
      expect(headerOf(call, 'Content-Type')).toBeUndefined();
      expect(headerOf(call, 'Authorization')).toBeUndefined();
      const expected: Array<[string, string]> = [...c.grantPairs, ['client_id', ID], ['client_secret', SECRET]];
      expect([...new URL(url).searchParams.entries()]).toEqual(expected);
      expect(url).toBe(`${TOKEN_URL}?${new URLSearchParams(expected).toString()}`);
      return;
    }

    expect(call.method).toBe('post');
    // No credentials (nor anything else) in the URL.
    expect(url).toBe(TOKEN_URL);
    expect(call.params).toBeUndefined();
    expect(url).not.toContain(SECRET);
    expect(url).not.toContain(ID);
    expect(headerOf(call, 'Content-Type')).toBe(FORM);
    expect(typeof call.data).toBe('string');
    if (c.auth === 'client_secret_basic') {
      expect(headerOf(call, 'Authorization')).toBe(basic);
      expect(formPairs(call)).toEqual(c.grantPairs);
      expect(call.data).not.toContain('client_secret');
      expect(call.data).not.toContain(SECRET);
    } else {
      expect(headerOf(call, 'Authorization')).toBeUndefined();
      expect(formPairs(call)).toEqual([...c.grantPairs, ['client_id', ID], ['client_secret', SECRET]]);
    }
  });

  test('exact bodies on the wire', async () => {
    const body = async (options: Record<string, unknown>) => {
      const core = createCore({ options });
      await core.auth.getAccessToken();
      return core.tokenCalls[0].data;
    };
    expect(await body({})).toBe('grant_type=client_credentials');
    expect(await body({ clientAuthentication: 'client_secret_post' })).toBe(
      'grant_type=client_credentials&client_id=client-1&client_secret=sup3r-s3cret-api-key',
    );
    expect(await body({ grant: { type: 'password', username: USER, password: PASSWORD } })).toBe(
      'grant_type=password&username=jane%40example.com&password=p%40ss+w0rd%26%3D',
    );
  });
});

describe('token request options', () => {
  test("tokenRequestFormat: 'json' with client_secret_post", async () => {
    const core = createCore({ options: { tokenRequestFormat: 'json', clientAuthentication: 'client_secret_post' } });
    await core.auth.getAccessToken();
    const call = core.tokenCalls[0];
    expect(call.method).toBe('post');
    expect(fullUrl(call)).toBe(TOKEN_URL);
    expect(headerOf(call, 'Content-Type')).toBe('application/json');
    expect(headerOf(call, 'Authorization')).toBeUndefined();
    expect(call.data).toBe(
      '{"grant_type":"client_credentials","client_id":"client-1","client_secret":"sup3r-s3cret-api-key"}',
    );
  });

  test("tokenRequestFormat: 'json' with client_secret_basic and the password grant", async () => {
    const core = createCore({
      options: { tokenRequestFormat: 'json', grant: { type: 'password', username: USER, password: PASSWORD } },
    });
    await core.auth.getAccessToken();
    const call = core.tokenCalls[0];
    expect(headerOf(call, 'Content-Type')).toBe('application/json');
    expect(headerOf(call, 'Authorization')).toBe(basic);
    expect(JSON.parse(call.data)).toEqual({ grant_type: 'password', username: USER, password: PASSWORD });
  });

  test('scope is sent with the grant (form-encoded, space as +)', async () => {
    const core = createCore({ options: { scope: 'read write' } });
    await core.auth.getAccessToken();
    expect(core.tokenCalls[0].data).toBe('grant_type=client_credentials&scope=read+write');
  });

  test('scope in query mode', async () => {
    const core = createCore({ options: { scope: 'read', tokenRequestFormat: 'query' } });
    await core.auth.getAccessToken();
    expect(fullUrl(core.tokenCalls[0])).toBe(
      `${TOKEN_URL}?grant_type=client_credentials&scope=read&client_id=client-1&client_secret=sup3r-s3cret-api-key`,
    );
  });

  test('tokenRequestParams are added, and cannot override grant_type or the credentials', async () => {
    const core = createCore({
      options: {
        clientAuthentication: 'client_secret_post',
        tokenRequestParams: { audience: 'https://api.example.com', grant_type: 'evil', client_id: 'other' },
      },
    });
    await core.auth.getAccessToken();
    expect(formPairs(core.tokenCalls[0])).toEqual([
      ['audience', 'https://api.example.com'],
      ['grant_type', 'client_credentials'],
      ['client_id', ID],
      ['client_secret', SECRET],
    ]);
  });

  test('tokenRequestHeaders go on the token request only, never on API requests', async () => {
    const core = createCore({ options: { tokenRequestHeaders: { 'X-Tenant': 'acme', 'X-Other': '1' } } });
    await core.api.get('/me');
    expect(headerOf(core.tokenCalls[0], 'X-Tenant')).toBe('acme');
    expect(headerOf(core.tokenCalls[0], 'X-Other')).toBe('1');
    expect(headerOf(core.tokenCalls[0], 'Authorization')).toBe(basic);
    expect(headerOf(core.apiCalls[0].config, 'X-Tenant')).toBeUndefined();
  });
});

describe('refresh tokens (RFC 6749 §6)', () => {
  /** Moves the clock into the hard window of the current (3600 s) token, so the next call renews. */
  const expire = (core: Core) => {
    core.clock.now += 3600 * 1000;
  };
  const setup = (options: Record<string, unknown> = {}) =>
    createCore({ options: { backgroundRefresh: false, ...options } });

  /** Three token fetches, each after the last token expired, answered by `replies` in turn. */
  async function threeFetches(replies: Reply[]): Promise<{ tokens: string[]; grants: string[] }> {
    const core = setup();
    core.tokenQueue.push(...replies);
    const tokens = [await core.auth.getAccessToken()];
    expire(core);
    tokens.push(await core.auth.getAccessToken());
    expire(core);
    tokens.push(await core.auth.getAccessToken());
    return { tokens, grants: core.tokenCalls.map((c) => c.data as string) };
  }

  test('a response with refresh_token → the next renewal uses grant_type=refresh_token with it', async () => {
    const core = setup();
    core.tokenQueue.push([200, tokenBody('a1', 3600, { refresh_token: 'rt-1' })]);
    expect(await core.auth.getAccessToken()).toBe('a1');
    expect(formPairs(core.tokenCalls[0])).toEqual([['grant_type', 'client_credentials']]);

    expire(core);
    core.tokenQueue.push([200, tokenBody('a2', 3600, { refresh_token: 'rt-2' })]);
    expect((await core.api.get('/x')).data.authorization).toBe('Bearer a2');
    expect(core.tokenCalls).toHaveLength(2);
    const refresh = core.tokenCalls[1];
    expect(refresh.method).toBe('post');
    expect(fullUrl(refresh)).toBe(TOKEN_URL);
    expect(headerOf(refresh, 'Authorization')).toBe(basic);
    expect(headerOf(refresh, 'Content-Type')).toBe(FORM);
    expect(refresh.data).toBe('grant_type=refresh_token&refresh_token=rt-1');
  });

  test('refresh with client_secret_post carries the client credentials in the body', async () => {
    const core = setup({ clientAuthentication: 'client_secret_post' });
    core.tokenQueue.push([200, tokenBody('a1', 3600, { refresh_token: 'rt-1' })]);
    await core.auth.getAccessToken();
    expire(core);
    await core.auth.getAccessToken();
    expect(core.tokenCalls[1].data).toBe(
      `grant_type=refresh_token&refresh_token=rt-1&client_id=${ID}&client_secret=${SECRET}`,
    );
    expect(headerOf(core.tokenCalls[1], 'Authorization')).toBeUndefined();
  });

  test('refresh in query mode is a GET with the refresh token in the query', async () => {
    const core = setup({ tokenRequestFormat: 'query' });
    core.tokenQueue.push([200, tokenBody('a1', 3600, { refresh_token: 'rt-1' })]);
    await core.auth.getAccessToken();
    expire(core);
    await core.auth.getAccessToken();
    expect(core.tokenCalls[1].method).toBe('get');
    expect(fullUrl(core.tokenCalls[1])).toBe(
      `${TOKEN_URL}?grant_type=refresh_token&refresh_token=rt-1&client_id=${ID}&client_secret=${SECRET}`,
    );
  });

  test('a rotated refresh token replaces the old one', async () => {
    const { tokens, grants } = await threeFetches([
      [200, tokenBody('a1', 3600, { refresh_token: 'rt-1' })],
      [200, tokenBody('a2', 3600, { refresh_token: 'rt-2' })],
      [200, tokenBody('a3', 3600, { refresh_token: 'rt-3' })],
    ]);
    expect(tokens).toEqual(['a1', 'a2', 'a3']);
    expect(grants).toEqual([
      'grant_type=client_credentials',
      'grant_type=refresh_token&refresh_token=rt-1',
      'grant_type=refresh_token&refresh_token=rt-2',
    ]);
  });

  test('a refresh response without refresh_token keeps the old one', async () => {
    const { tokens, grants } = await threeFetches([
      [200, tokenBody('a1', 3600, { refresh_token: 'rt-1' })],
      [200, tokenBody('a2', 3600)],
      [200, tokenBody('a3', 3600)],
    ]);
    expect(tokens).toEqual(['a1', 'a2', 'a3']);
    expect(grants).toEqual([
      'grant_type=client_credentials',
      'grant_type=refresh_token&refresh_token=rt-1',
      'grant_type=refresh_token&refresh_token=rt-1',
    ]);
  });

  test('a 401 on the API also renews with the refresh token', async () => {
    const core = setup();
    core.tokenQueue.push([200, tokenBody('a1', 3600, { refresh_token: 'rt-1' })], [200, tokenBody('a2', 3600)]);
    core.validTokens = new Set(['a2']);
    expect((await core.api.get('/x')).data.authorization).toBe('Bearer a2');
    expect(core.tokenCalls.map((c) => c.data)).toEqual([
      'grant_type=client_credentials',
      'grant_type=refresh_token&refresh_token=rt-1',
    ]);
  });

  test('invalid_grant on refresh → falls back to the main grant (exactly 2 token calls)', async () => {
    const core = setup({ grant: { type: 'password', username: USER, password: PASSWORD } });
    core.tokenQueue.push(
      [200, tokenBody('a1', 3600, { refresh_token: 'rt-1' })],
      [400, { error: 'invalid_grant', error_description: 'refresh token expired' }],
      [200, tokenBody('a2', 3600)],
    );
    await core.auth.getAccessToken();
    expire(core);
    const before = core.tokenCalls.length;
    expect((await core.api.get('/x')).data.authorization).toBe('Bearer a2');
    expect(core.tokenCalls.length - before).toBe(2);
    expect(core.tokenCalls.slice(before).map((c) => c.data)).toEqual([
      'grant_type=refresh_token&refresh_token=rt-1',
      'grant_type=password&username=jane%40example.com&password=p%40ss+w0rd%26%3D',
    ]);
  });

  test.each([
    [400, 'invalid_grant'],
    [400, 'unauthorized_client'],
    [401, 'unauthorized_client'],
    [400, 'unsupported_grant_type'],
  ])(
    '%i %s on refresh → the main grant at once (no lockout), and the dropped refresh token is not tried again',
    async (status, code) => {
      const { tokens, grants } = await threeFetches([
        [200, tokenBody('a1', 3600, { refresh_token: 'rt-1' })],
        [status, { error: code }],
        [200, tokenBody('a2', 3600)],
        [200, tokenBody('a3', 3600)],
      ]);
      expect(tokens).toEqual(['a1', 'a2', 'a3']);
      expect(grants).toEqual([
        'grant_type=client_credentials',
        'grant_type=refresh_token&refresh_token=rt-1',
        'grant_type=client_credentials',
        'grant_type=client_credentials',
      ]);
    },
  );

  test('after the refresh grant is refused, later refresh tokens are not tried; after invalid_grant they are', async () => {
    const replies = (refusal: string): Reply[] => [
      [200, tokenBody('a1', 3600, { refresh_token: 'rt-1' })],
      [400, { error: refusal }],
      [200, tokenBody('a2', 3600, { refresh_token: 'rt-2' })],
      [200, tokenBody('a3', 3600)],
    ];
    const start = [
      'grant_type=client_credentials',
      'grant_type=refresh_token&refresh_token=rt-1',
      'grant_type=client_credentials',
    ];
    expect((await threeFetches(replies('unauthorized_client'))).grants).toEqual([
      ...start,
      'grant_type=client_credentials',
    ]);
    expect((await threeFetches(replies('invalid_grant'))).grants).toEqual([
      ...start,
      'grant_type=refresh_token&refresh_token=rt-2',
    ]);
  });

  test('unauthorized_client on refresh and again on the main grant → the lockout opens (2 calls, then none)', async () => {
    const core = setup();
    core.tokenQueue.push(
      [200, tokenBody('a1', 3600, { refresh_token: 'rt-1' })],
      [400, { error: 'unauthorized_client' }],
      [400, { error: 'unauthorized_client' }],
    );
    await core.auth.getAccessToken();
    expire(core);
    await expect(core.auth.getAccessToken()).rejects.toBeInstanceOf(AccountLockedError);
    await expect(core.auth.getAccessToken()).rejects.toBeInstanceOf(AccountLockedError);
    expect(core.tokenCalls.map((c) => c.data)).toEqual([
      'grant_type=client_credentials',
      'grant_type=refresh_token&refresh_token=rt-1',
      'grant_type=client_credentials',
    ]);
  });

  test('a 429 on refresh is not a fallback: the lockout opens at once (1 call)', async () => {
    const core = setup();
    core.tokenQueue.push(
      [200, tokenBody('a1', 3600, { refresh_token: 'rt-1' })],
      [429, { error: 'unauthorized_client' }],
    );
    await core.auth.getAccessToken();
    expire(core);
    await expect(core.auth.getAccessToken()).rejects.toBeInstanceOf(AccountLockedError);
    expect(core.tokenCalls).toHaveLength(2);
  });

  test('another error on refresh is not a fallback: it rejects (1 token call)', async () => {
    const core = setup();
    core.tokenQueue.push([200, tokenBody('a1', 3600, { refresh_token: 'rt-1' })], [400, { error: 'invalid_request' }]);
    await core.auth.getAccessToken();
    expire(core);
    const before = core.tokenCalls.length;
    const error = await core.auth.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as TokenEndpointError).error).toBe('invalid_request');
    expect(core.tokenCalls.length - before).toBe(1);
  });

  test('invalidate() forgets the refresh token too', async () => {
    const core = setup();
    core.tokenQueue.push([200, tokenBody('a1', 3600, { refresh_token: 'rt-1' })]);
    await core.auth.getAccessToken();
    await core.auth.invalidate();
    expect(await core.auth.getAccessToken()).toBe('tok-1');
    expect(core.tokenCalls.map((c) => c.data)).toEqual([
      'grant_type=client_credentials',
      'grant_type=client_credentials',
    ]);
    expect(core.clock.now).toBe(T0);
  });
});
