import axios from 'axios';
import FormData from 'form-data';
import { attachOAuth2, ReplayNotPossibleError } from '../../src';
import { startAuthServer, type AuthServer } from '../../src/testing';
import { isReplayableBody } from '../../src/interceptors/replayable';

let server: AuthServer;

beforeEach(async () => {
  server = await startAuthServer();
});

afterEach(() => server.close());

function form(): FormData {
  const body = new FormData();
  body.append('file', Buffer.from('%PDF-1.4 page'), { filename: 'page.pdf', contentType: 'application/pdf' });
  return body;
}

describe('multipart bodies from the form-data package (what SDKs use for uploads)', () => {
  test('a form-data body is a stream (pipe, no async iterator): not replayable', () => {
    const body = form();
    expect(typeof body.pipe).toBe('function');
    expect((body as unknown as Record<symbol, unknown>)[Symbol.asyncIterator]).toBeUndefined();
    expect(isReplayableBody(body)).toBe(false);
  });

  test('answered 401 → ReplayNotPossibleError, no replay; the retry with a fresh form gets the new token', async () => {
    const api = axios.create({ baseURL: server.apiBaseUrl, timeout: 5000 });
    attachOAuth2(api, { tokenUrl: server.tokenUrl, clientId: server.clientId, clientSecret: server.clientSecret });
    await api.get('/users/1');
    server.revokeAllTokens();

    const error = await api.post('/kyc/documents/1/pages', form()).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ReplayNotPossibleError);
    expect(server.apiRequests().map((r) => r.status)).toEqual([200, 401]);
    const retried = await api.post('/kyc/documents/1/pages', form());
    expect(retried.status).toBe(200);
    expect(server.counters.tokenCalls).toBe(2);
    const [first, rejected, retry] = server.apiRequests().map((r) => r.authorization);
    expect(rejected).toBe(first);
    expect(retry).not.toBe(first);
  });
});
