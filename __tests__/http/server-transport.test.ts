/**
 * How a request to the authorization server travels (`src/http/server-transport.ts`), as a unit:
 * the deadline taken from `tokenRequestTimeoutMs`, else the instance's `timeout` (0, negative or
 * unusable meaning the 30 s default, capped to what a timer honours), and the adapter, agents, proxy
 * and fetch options: `tokenHttpClient`'s own, else the triggering request's over the instance's.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios from 'axios';
import { attemptTimeout, DEFAULT_TOKEN_TIMEOUT_MS, serverTransport } from '../../src/http/server-transport';
import { MAX_TIMER_MS } from '../../src/util/timers';

describe('attemptTimeout', () => {
  it('is the instance timeout when positive and finite', () => {
    expect(attemptTimeout(1)).toBe(1);
    expect(attemptTimeout(5_000)).toBe(5_000);
  });

  it('is the 30 s default for none, 0, a negative or an unusable value', () => {
    expect(DEFAULT_TOKEN_TIMEOUT_MS).toBe(30_000);
    for (const value of [undefined, 0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(attemptTimeout(value)).toBe(30_000);
    }
    expect(attemptTimeout('soon' as unknown as number)).toBe(30_000);
  });

  it('is capped to the longest delay a timer honours', () => {
    expect(attemptTimeout(MAX_TIMER_MS)).toBe(MAX_TIMER_MS);
    expect(attemptTimeout(MAX_TIMER_MS + 1)).toBe(MAX_TIMER_MS);
  });
});

describe('serverTransport', () => {
  const adapter = jest.fn();
  const httpAgent = new HttpAgent();
  const httpsAgent = new HttpsAgent();
  const proxy = { host: 'proxy.example', port: 3128 };
  const fetchOptions = { keepalive: true };

  function attached() {
    return axios.create({ adapter, httpAgent, httpsAgent, proxy, fetchOptions, timeout: 1_234 } as never);
  }

  afterAll(() => {
    httpAgent.destroy();
    httpsAgent.destroy();
  });

  it("without a request behind it: the attached instance's adapter, agents, proxy, fetch options and timeout", () => {
    const transport = serverTransport(attached(), {});
    expect(transport.inherited).toEqual({ adapter, httpAgent, httpsAgent, proxy });
    expect(transport.inherited.adapter).toBe(adapter);
    expect(transport.inherited.httpAgent).toBe(httpAgent);
    expect(transport.inherited.httpsAgent).toBe(httpsAgent);
    // axios.create copies plain objects: equal, not the same.
    expect(transport.fetchOptions).toEqual(fetchOptions);
    expect(transport.timeoutMs).toBe(1_234);
  });

  it("the triggering request's settings over the instance's, field by field", () => {
    const own = {
      adapter: jest.fn(),
      httpAgent: new HttpAgent(),
      httpsAgent: new HttpsAgent(),
      proxy: { host: 'other', port: 1 },
      fetchOptions: { priority: 'high' },
    };
    const transport = serverTransport(attached(), {}, own);
    expect(transport.inherited.adapter).toBe(own.adapter);
    expect(transport.inherited.httpAgent).toBe(own.httpAgent);
    expect(transport.inherited.httpsAgent).toBe(own.httpsAgent);
    expect(transport.inherited.proxy).toBe(own.proxy);
    expect(transport.fetchOptions).toBe(own.fetchOptions);
    // A request whose adapter deleted config.adapter (axios-mock-adapter does): the instance's.
    const bare = serverTransport(attached(), {}, {});
    expect(bare.inherited).toEqual({ adapter, httpAgent, httpsAgent, proxy });
    expect(bare.fetchOptions).toEqual(fetchOptions);
    own.httpAgent.destroy();
    own.httpsAgent.destroy();
  });

  it("with tokenHttpClient: nothing inherited, its own fetch options, the instance's timeout still", () => {
    const clientFetchOptions = { cache: 'no-store' };
    const tokenHttpClient = axios.create({ fetchOptions: clientFetchOptions } as never);
    const transport = serverTransport(attached(), { tokenHttpClient }, { adapter: jest.fn(), fetchOptions: {} });
    expect(transport.inherited).toEqual({});
    expect(transport.fetchOptions).toEqual(clientFetchOptions);
    expect(transport.timeoutMs).toBe(1_234);
  });

  it('tokenRequestTimeoutMs over the instance timeout; the default when the instance has none', () => {
    expect(serverTransport(attached(), { tokenRequestTimeoutMs: 77 }).timeoutMs).toBe(77);
    expect(serverTransport(axios.create(), {}).timeoutMs).toBe(30_000);
  });
});
