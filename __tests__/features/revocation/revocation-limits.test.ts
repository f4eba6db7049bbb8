/**
 * The revocation request travels the one path to the authorization server (`src/http/send.ts`), with
 * the same guarantees as a token request, on the http and fetch adapters of every tested axios
 * version: an overall deadline (a revocation endpoint that trickles its answer cannot keep `close()`
 * pending) and the size cap read as a stream (an oversized answer is not read whole).
 */
import type { ServerResponse } from 'node:http';
import { attachOAuth2, type RevocationFailedEvent } from '../../../src';
import { ADAPTERS, AXIOS_VERSIONS } from '../../helpers/axios-versions';
import { json, startRawServer, type RawServer } from '../../helpers/raw-server';
import { revokeOnClose } from '../../../src/features/revocation';

const SECRET = 'revocation-limits-secret-9';
const CHUNK = 16 * 1024;

/** Headers at once, then one byte every 20 ms, for ever (until the client hangs up). */
function trickleForever(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const tick = (): void => {
    if (res.destroyed) return;
    res.write(' ');
    setTimeout(tick, 20);
  };
  tick();
}

/** A 400 of 8 MiB, written as fast as the client reads it. */
function huge(res: ServerResponse): void {
  res.writeHead(400, { 'Content-Type': 'application/json' });
  let left = 8 * 1024 * 1024;
  const next = (): void => {
    while (left > 0 && !res.destroyed) {
      left -= CHUNK;
      if (!res.write('x'.repeat(CHUNK))) return void res.once('drain', next);
    }
    if (!res.destroyed) res.end();
  };
  next();
}

describe.each(AXIOS_VERSIONS)('axios %s: the revocation request is fenced', (_version, axiosCopy) => {
  let auth: RawServer;
  let revoke: (res: ServerResponse) => void;
  beforeEach(async () => {
    auth = await startRawServer((req, res) => {
      if (req.url === '/token') return json(res, 200, { access_token: 'tok-1', token_type: 'bearer', expires_in: 600 });
      revoke(res);
    });
  });
  afterEach(() => auth.close());

  function attach(adapter: string, failures: RevocationFailedEvent[]) {
    return attachOAuth2(axiosCopy.create({ baseURL: auth.url, adapter: axiosCopy.getAdapter(adapter) }), {
      tokenUrl: `${auth.url}/token`,
      extensions: [revokeOnClose({ url: `${auth.url}/revoke` })],
      clientId: 'client-1',
      clientSecret: SECRET,
      tokenRequestTimeoutMs: 200,
      maxTokenResponseBytes: 4096,
      hooks: { onRevocationFailed: (event) => void failures.push(event) },
    });
  }

  test.each(ADAPTERS)(
    '%s adapter: a trickling answer: close() settles at the deadline, the connection closed',
    async (adapter) => {
      revoke = trickleForever;
      const failures: RevocationFailedEvent[] = [];
      const handle = attach(adapter, failures);
      await handle.getAccessToken();
      const aborted = auth.nextAbort();

      await handle.close();

      expect(failures).toEqual([{ message: 'the revocation endpoint could not be reached (no answer within 200 ms)' }]);
      await aborted; // the plugin hung up on the trickle
      expect(auth.aborted).toBe(1);
      expect(auth.requests.map((r) => r.url)).toEqual(['/token', '/revoke']);
    },
    10_000,
  );

  test.each(ADAPTERS)(
    '%s adapter: an answer over maxTokenResponseBytes is not read whole',
    async (adapter) => {
      revoke = huge;
      const failures: RevocationFailedEvent[] = [];
      const handle = attach(adapter, failures);
      await handle.getAccessToken();
      const aborted = auth.nextAbort();

      await handle.close();

      expect(failures).toEqual([{ status: 400, message: 'the revocation endpoint answered HTTP 400' }]);
      await aborted;
      expect(auth.bytesSent).toBeLessThan(8 * 1024 * 1024);
    },
    10_000,
  );
});
