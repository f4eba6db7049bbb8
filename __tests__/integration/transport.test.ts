/**
 * Transport behaviour over real loopback HTTP: keep-alive agents (token requests use the
 * instance's agent), redirects to another host never carry the bearer, and a slow or hanging
 * token endpoint ends in a typed error instead of a hang.
 */
import {
  createServer,
  Agent,
  type ClientRequest,
  type ClientRequestArgs,
  type IncomingHttpHeaders,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import axios, { type AxiosResponse } from 'axios';
import { attachOAuth2, TokenEndpointError } from '../../src';
import { startAuthServer, type AuthServer, type EchoBody } from '../../src/testing';
import { mangopayClient, rejectionOf } from './loopback';

/**
 * A keep-alive agent that counts the connections it opens and records the path of every request
 * routed through it (Node's agents receive each request through `addRequest`).
 */
class CountingAgent extends Agent {
  connections = 0;
  readonly paths: string[] = [];
  constructor() {
    super({ keepAlive: true });
    const self = this as unknown as { addRequest: (req: ClientRequest, options: unknown) => void };
    const addRequest = self.addRequest.bind(this);
    self.addRequest = (req, options) => {
      this.paths.push(req.path.split('?')[0]);
      addRequest(req, options);
    };
  }
  override createConnection(
    options: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    this.connections += 1;
    return super.createConnection(options, callback);
  }
}

/** A plain node:http server on another port that records the headers of every request it receives. */
async function startRecorder(): Promise<{
  url: string;
  port: number;
  received: IncomingHttpHeaders[];
  close: () => Promise<void>;
}> {
  const received: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    received.push(req.headers);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ landed: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('integration (loopback): transport', () => {
  let server: AuthServer;
  beforeEach(async () => {
    server = await startAuthServer();
  });
  afterEach(() => server.close());

  describe('keep-alive agents', () => {
    let agent: CountingAgent;
    beforeEach(() => {
      agent = new CountingAgent();
    });
    afterEach(() => agent.destroy());

    it("the token request goes through the instance's keep-alive agent, and API calls and a refresh reuse its one connection", async () => {
      const { api, auth } = mangopayClient(server, {}, { httpAgent: agent });

      await auth.getAccessToken();
      expect(agent.paths).toEqual(['/v2.01/oauth/token']);
      expect(agent.connections).toBe(1);
      expect(server.counters.tokenCalls).toBe(1);

      for (let i = 0; i < 5; i++) await expect(api.get(`/users/${i}`)).resolves.toMatchObject({ status: 200 });
      server.revokeAllTokens();
      await expect(api.get('/users/after-revocation')).resolves.toMatchObject({ status: 200 });

      expect(server.counters).toMatchObject({ tokenCalls: 2, apiCalls: 7, api401: 1, apiSuccesses: 6 });
      const users = `/v2.01/${server.clientId}/users`;
      expect(agent.paths).toEqual([
        '/v2.01/oauth/token',
        ...[0, 1, 2, 3, 4].map((i) => `${users}/${i}`),
        `${users}/after-revocation`,
        '/v2.01/oauth/token',
        `${users}/after-revocation`,
      ]);
      expect(agent.connections).toBe(1);
    });

    it('concurrent calls on a cold cache over a keep-alive agent: 1 token call, every call succeeds', async () => {
      const { api } = mangopayClient(server, {}, { httpAgent: agent });

      const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => api.get(`/users/${i}`)));

      expect(responses.every((r) => r.status === 200)).toBe(true);
      expect(server.counters).toMatchObject({ tokenCalls: 1, apiSuccesses: 20 });
      expect(agent.paths).toHaveLength(21);
      expect(agent.paths[0]).toBe('/v2.01/oauth/token');
    });
  });

  describe('redirects', () => {
    let other: Awaited<ReturnType<typeof startRecorder>>;
    beforeEach(async () => {
      other = await startRecorder();
    });
    afterEach(() => other.close());

    async function followRedirect(to: string, family?: 4): Promise<AxiosResponse> {
      const { api, auth } = mangopayClient(server);
      const token = await auth.getAccessToken();
      const response = await api.get('/redirect', { params: { to }, family });
      // The first hop did carry the bearer, so the test shows the redirect dropping it.
      expect(server.apiRequests()[0]).toMatchObject({ status: 302, authorization: `Bearer ${token}` });
      return response;
    }

    it('a redirect to another origin (same IP, other port) does not carry the bearer', async () => {
      const response = await followRedirect(`${other.url}/landing`);

      expect(response.data).toEqual({ landed: true });
      expect(other.received).toHaveLength(1);
      expect(other.received[0].authorization).toBeUndefined();
    });

    it('a redirect to another host name does not carry the bearer', async () => {
      const response = await followRedirect(`http://localhost:${other.port}/landing`, 4);

      expect(response.data).toEqual({ landed: true });
      expect(other.received).toHaveLength(1);
      expect(other.received[0].host).toBe(`localhost:${other.port}`);
      expect(other.received[0].authorization).toBeUndefined();
    });

    it('a redirect within the API origin keeps the bearer (the target requires it)', async () => {
      const response = await followRedirect(`${server.apiBaseUrl}/users/landing`);

      expect((response.data as EchoBody).path).toBe(`/v2.01/${server.clientId}/users/landing`);
      const [, landing] = server.apiRequests();
      expect(landing).toMatchObject({ status: 200, authorization: `Bearer ${server.issuedTokens()[0].token}` });
      expect(other.received).toHaveLength(0);
    });
  });

  describe('a slow token endpoint', () => {
    it('tokenRequestTimeoutMs: a delayed then hanging token endpoint → transient TokenEndpointError after the retries, not a hang', async () => {
      server.injectTokenFaults([{ type: 'delay', ms: 5_000 }, { type: 'hang' }]);
      const { api } = mangopayClient(server, {
        tokenRequestTimeoutMs: 300,
        retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 10 },
      });
      const started = Date.now();

      const error = await rejectionOf(api.get('/users'));

      expect(Date.now() - started).toBeLessThan(3_000);
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(error).toMatchObject({ transient: true, attempts: 2, status: undefined, error: undefined });
      expect((error as Error).cause).toMatchObject({ code: 'ECONNABORTED' });
      expect(server.counters).toMatchObject({
        tokenCalls: 2,
        tokenDelays: 1,
        tokenFaults: 1,
        tokenSuccesses: 0,
        apiCalls: 0,
      });

      // A transient failure is not cached: the next call fetches a token and succeeds.
      await expect(api.get('/users')).resolves.toMatchObject({ status: 200 });
      expect(server.counters.tokenCalls).toBe(3);
    });

    it('a timed-out token request is retried, and the retry rescues the call', async () => {
      server.injectTokenFaults([{ type: 'delay', ms: 5_000 }]);
      const { api } = mangopayClient(server, {
        tokenRequestTimeoutMs: 300,
        retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 10 },
      });

      await expect(api.get('/users')).resolves.toMatchObject({ status: 200 });

      expect(server.counters).toMatchObject({ tokenCalls: 2, tokenDelays: 1, tokenSuccesses: 1, apiSuccesses: 1 });
    });

    it("without tokenRequestTimeoutMs, the instance's timeout bounds the token request", async () => {
      server.injectTokenFaults([{ type: 'hang' }]);
      const api = axios.create({ baseURL: server.apiBaseUrl, timeout: 300 });
      attachOAuth2(api, {
        tokenUrl: server.tokenUrl,
        clientId: server.clientId,
        clientSecret: server.clientSecret,
        retry: { retries: 0 },
      });
      const started = Date.now();

      const error = await rejectionOf(api.get('/users'));

      expect(Date.now() - started).toBeLessThan(3_000);
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(error).toMatchObject({ transient: true, attempts: 1 });
      expect(server.counters).toMatchObject({ tokenCalls: 1, tokenFaults: 1, apiCalls: 0 });
    });
  });
});
