/**
 * `tokenRequestTimeoutMs` is an overall deadline per attempt, response body included, with the http
 * and fetch adapters of axios 1.7.9, 1.19.0 and the newest: a token endpoint that sends its headers
 * and then trickles bytes no longer keeps the request pending (axios's `timeout` is an idle timer on
 * the http adapter). A missed deadline aborts the connection and is a transient failure, retried.
 */
import type { ServerResponse } from 'node:http';
import type axiosNewest from 'axios';
import { attachOAuth2, TokenEndpointError, type OAuth2Options } from '../../src';
import { startRawServer, type RawServer } from '../helpers/raw-server';
import { ADAPTERS, AXIOS_VERSIONS } from '../helpers/axios-versions';

const VERSIONS = AXIOS_VERSIONS;

/** A valid token response, sent one byte every 50 ms: about 4 s in all. */
const BODY = JSON.stringify({
  access_token: 'slow-token-1',
  token_type: 'bearer',
  expires_in: 3600,
  pad: 'x'.repeat(14),
});
const TRICKLE_MS = 50;

/** Sends the headers and the first byte at once, then one byte per tick until done or aborted. */
function trickle(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(BODY.length) });
  let sent = 0;
  const tick = (): void => {
    if (res.destroyed) return;
    res.write(BODY[sent]);
    sent += 1;
    if (sent === BODY.length) res.end();
    else setTimeout(tick, TRICKLE_MS);
  };
  tick();
}

describe('tokenRequestTimeoutMs is an overall deadline per attempt', () => {
  let server: RawServer;
  beforeEach(async () => {
    server = await startRawServer((_req, res) => trickle(res));
  });
  afterEach(() => server.close());

  function attach(axios: typeof axiosNewest, adapter: string, extra: Partial<OAuth2Options>) {
    const api = axios.create({ baseURL: `${server.url}/v1`, adapter: axios.getAdapter(adapter) });
    return attachOAuth2(api, {
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'client-1',
      clientSecret: 'deadline-secret-12',
      tokenRequestTimeoutMs: 200,
      ...extra,
    });
  }

  describe.each(VERSIONS)('axios %s', (_version, axios) => {
    describe.each(ADAPTERS)('%s adapter', (adapter) => {
      test('a trickling token endpoint: the attempt is aborted as a transient time-out', async () => {
        const auth = attach(axios, adapter, { retry: { retries: 0 } });
        const aborted = server.nextAbort();
        const error = (await auth.getAccessToken().catch((e: unknown) => e)) as TokenEndpointError;
        const bytesWhenSettled = server.bytesSent;
        expect(error).toBeInstanceOf(TokenEndpointError);
        expect(error.transient).toBe(true);
        expect(error.status).toBeUndefined();
        expect(error.attempts).toBe(1);
        expect(error.message).toContain('timeout of 200ms exceeded');
        expect((error.cause as { code?: string }).code).toBe('ECONNABORTED');
        expect(bytesWhenSettled).toBeLessThan(BODY.length); // settled before the trickle could finish
        await aborted; // the server saw the connection closed mid-response
        expect(server.aborted).toBe(1);
        expect(server.requests).toHaveLength(1);
      }, 15_000);

      test('each retry has its own deadline: retries + 1 attempts, each aborted', async () => {
        const auth = attach(axios, adapter, { retry: { retries: 2, baseDelayMs: 0 } });
        const error = (await auth.getAccessToken().catch((e: unknown) => e)) as TokenEndpointError;
        expect(error).toBeInstanceOf(TokenEndpointError);
        expect(error.transient).toBe(true);
        expect(error.attempts).toBe(3);
        expect(server.requests).toHaveLength(3);
        expect(server.bytesSent).toBeLessThan(BODY.length);
      }, 15_000);
    });
  });
});
