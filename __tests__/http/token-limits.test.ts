/**
 * Token responses are read up to `maxTokenResponseBytes`, with the http and fetch adapters of axios
 * 1.7.9, 1.19.0 and the newest (1.7's fetch adapter ignores `maxContentLength`): a larger body is not
 * read whole, the connection is closed, and the failure is typed. A 2xx over the cap is an
 * InvalidTokenResponseError (permanent, not retried); an error status over the cap is classified by
 * its status alone.
 */
import { inspect } from 'node:util';
import type { ServerResponse } from 'node:http';
import axiosNewest from 'axios';
import { attachOAuth2, InvalidTokenResponseError, TokenEndpointError, type OAuth2Options } from '../../src';
import { startRawServer, type RawServer } from '../helpers/raw-server';
import { ADAPTERS, AXIOS_VERSIONS } from '../helpers/axios-versions';

const VERSIONS = AXIOS_VERSIONS;

const SECRET = 'limits-client-secret-55';
const CAP = 4096;
const CHUNK = 16 * 1024;
/** 8 MiB: far more than the cap, and more than socket buffers hold. */
const HUGE = 8 * 1024 * 1024;

/** A valid token response of about `size` bytes (a huge access token). */
function tokenBody(size: number): string {
  const head = '{"token_type":"bearer","expires_in":3600,"access_token":"';
  return `${head}${'a'.repeat(Math.max(1, size - head.length - 2))}"}`;
}

/** Writes `body` in chunks, waiting for the client to drain each (so a client that stops reading stops it). */
function stream(res: ServerResponse, status: number, body: string, declareLength: boolean): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    ...(declareLength ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}),
  });
  let offset = 0;
  const next = (): void => {
    while (offset < body.length && !res.destroyed) {
      const chunk = body.slice(offset, offset + CHUNK);
      offset += CHUNK;
      if (!res.write(chunk)) {
        res.once('drain', next);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  next();
}

describe('maxTokenResponseBytes', () => {
  let server: RawServer;
  let reply: (res: ServerResponse) => void;
  beforeEach(async () => {
    server = await startRawServer((req, res) => {
      if (req.url.startsWith('/oauth/token')) reply(res);
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  afterEach(() => server.close());

  function attach(axios: typeof axiosNewest, adapter: string, extra: Partial<OAuth2Options> = {}) {
    const api = axios.create({ baseURL: `${server.url}/v1`, adapter: axios.getAdapter(adapter) });
    const auth = attachOAuth2(api, {
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'client-1',
      clientSecret: SECRET,
      maxTokenResponseBytes: CAP,
      retry: { retries: 2, baseDelayMs: 0 },
      ...extra,
    });
    return { api, auth };
  }

  const tokenRequests = () => server.requests.filter((r) => r.url.startsWith('/oauth/token')).length;

  describe.each(VERSIONS)('axios %s', (_version, axios) => {
    describe.each(ADAPTERS)('%s adapter', (adapter) => {
      test.each([
        ['without Content-Length', false],
        ['with Content-Length', true],
      ])('a 200 over the cap (%s) is not read whole: InvalidTokenResponseError, not retried', async (_n, declare) => {
        reply = (res) => stream(res, 200, tokenBody(HUGE), declare);
        const aborted = server.nextAbort();
        const { auth } = attach(axios, adapter);
        const error = (await auth.getAccessToken().catch((e: unknown) => e)) as InvalidTokenResponseError;
        expect(error).toBeInstanceOf(InvalidTokenResponseError);
        expect(error.field).toBe('body');
        expect(error.status).toBe(200);
        expect(error.message).toBe(
          `Invalid token response: the body is larger than maxTokenResponseBytes (${CAP} bytes)`,
        );
        for (const text of [JSON.stringify(error), inspect(error, { depth: Infinity })])
          expect(text).not.toContain(SECRET);
        expect(tokenRequests()).toBe(1);
        await aborted; // the client closed the connection
        expect(server.aborted).toBe(1);
        expect(server.bytesSent).toBeLessThan(HUGE);
      });

      test('a body under the cap is read as usual', async () => {
        reply = (res) => stream(res, 200, tokenBody(CAP - 100), false);
        const { auth } = attach(axios, adapter);
        expect(await auth.getAccessToken()).toMatch(/^a+$/);
        expect(tokenRequests()).toBe(1);
      });

      test('an error status over the cap is classified by its status: a 503 is transient and retried', async () => {
        reply = (res) => stream(res, 503, 'x'.repeat(HUGE), false);
        const { auth } = attach(axios, adapter);
        const error = (await auth.getAccessToken().catch((e: unknown) => e)) as TokenEndpointError;
        expect(error).toBeInstanceOf(TokenEndpointError);
        expect(error.status).toBe(503);
        expect(error.transient).toBe(true);
        expect(error.attempts).toBe(3);
        expect(tokenRequests()).toBe(3);
      });
    });
  });

  test('an error status over the cap with a client error is permanent, without the body', async () => {
    reply = (res) => stream(res, 400, JSON.stringify({ error: 'invalid_client', pad: 'x'.repeat(HUGE) }), false);
    const { auth } = attach(axiosNewest, 'http');
    const error = (await auth.getAccessToken().catch((e: unknown) => e)) as TokenEndpointError;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error.status).toBe(400);
    expect(error.transient).toBe(false);
    expect(error.error).toBeUndefined();
    expect(tokenRequests()).toBe(1);
  });

  test.each<[string, unknown]>([
    ['a string', tokenBody(CAP + 1)],
    ['a Buffer', Buffer.from(tokenBody(CAP + 1))],
    ['an ArrayBuffer', new Uint8Array(Buffer.from(tokenBody(CAP + 1))).buffer],
  ])('a custom adapter that read the body itself: %s over the cap is refused too', async (_kind, data) => {
    const api = axiosNewest.create({
      baseURL: 'https://api.example.com',
      adapter: async (config) => ({ data, status: 200, statusText: 'OK', headers: {}, config, request: {} }),
    });
    const auth = attachOAuth2(api, {
      tokenUrl: 'https://auth.example.com/token',
      clientId: 'c',
      clientSecret: SECRET,
      maxTokenResponseBytes: CAP,
    });
    const error = (await auth.getAccessToken().catch((e: unknown) => e)) as InvalidTokenResponseError;
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect(error.field).toBe('body');
  });

  test('the default cap (1 MiB) accepts a large JWT-sized token and refuses a 2 MiB body', async () => {
    reply = (res) => stream(res, 200, tokenBody(200 * 1024), false);
    const { auth } = attach(axiosNewest, 'fetch', { maxTokenResponseBytes: undefined });
    expect((await auth.getAccessToken()).length).toBeGreaterThan(199 * 1024);
    reply = (res) => stream(res, 200, tokenBody(2 * 1024 * 1024), false);
    const other = attach(axiosNewest, 'fetch', { maxTokenResponseBytes: undefined });
    await expect(other.auth.getAccessToken()).rejects.toBeInstanceOf(InvalidTokenResponseError);
  });
});
