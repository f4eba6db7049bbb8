/**
 * The one test harness: an axios instance on axios-mock-adapter with a mocked token endpoint and a
 * mocked API, and the plugin attached. Two shapes over the same primitives:
 * - {@link createCore}: a controllable clock, a catch-all API echoing the bearer, token calls recorded;
 * - {@link createResponseHarness}: real (or fake) timers, token replies that can be transport
 *   failures, and every API hit snapshotted (the plugin redacts the live config after an error).
 */
import axios, {
  AxiosError,
  AxiosHeaders,
  type AxiosInstance,
  type AxiosRequestConfig,
  type InternalAxiosRequestConfig,
} from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { attachOAuth2, type OAuth2Handle, type OAuth2Options } from '../../src';

export const TOKEN_URL = 'https://auth.example.com/oauth/token';
export const API_BASE = 'https://api.example.com/v2.01/client-1';
export const API_ORIGIN = 'https://api.example.com';
export const CLIENT_ID = 'client-1';
export const CLIENT_SECRET = 'sup3r-s3cret-api-key';
/** A fixed epoch (ms) the controllable clock starts at. */
export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

/** [status, body?, headers?] as axios-mock-adapter wants it. */
export type Reply = [number, unknown?, Record<string, string>?];
/** Answers one token request; may be async (e.g. a deferred answer). */
export type TokenHandler = (config: AxiosRequestConfig) => Reply | Promise<Reply>;

/** Mangopay's answer to an expired or unknown bearer token. */
export const MANGOPAY_INVALID_CREDENTIALS = {
  Message: 'The authorization credentials are not valid',
  Type: 'invalid_credentials',
  Id: 'c1a8a2b0-0000-4000-8000-000000000001',
  Date: 1700772361.0,
  errors: null,
};

export interface ApiCall {
  method: string;
  url: string;
  /** The Authorization header the API saw, if any. */
  authorization: string | undefined;
  config: AxiosRequestConfig;
}

export interface Core {
  api: AxiosInstance;
  mock: MockAdapter;
  auth: OAuth2Handle;
  /** The time the plugin sees (when `useClock` is on, the default). */
  clock: { now: number };
  /** Every token request, in order. */
  tokenCalls: AxiosRequestConfig[];
  /** Every API request that reached the mock server, in order. */
  apiCalls: ApiCall[];
  /** Answers for the next token requests, used first; afterwards tokens `tok-N` are issued. */
  tokenQueue: Array<Reply | TokenHandler>;
  /** When set, the API answers 401 (Mangopay invalid_credentials) to any other bearer. */
  validTokens?: Set<string>;
}

export interface CoreSetup {
  options?: Partial<OAuth2Options> & Record<string, unknown>;
  /** `expires_in` of issued tokens; `null` sends none. @default 3600 */
  lifetimeSeconds?: number | null;
  /** Extra fields in every issued token response. */
  tokenExtra?: (n: number) => Record<string, unknown>;
  baseURL?: string | null;
  /** Drive the plugin with `clock: () => core.clock.now`. @default true */
  useClock?: boolean;
}

/** A token response body per RFC 6749 §5.1; `expiresIn` null: no `expires_in`. */
export function tokenBody(accessToken: string, expiresIn: number | null = 3600, extra: Record<string, unknown> = {}) {
  return {
    access_token: accessToken,
    token_type: 'bearer',
    ...(expiresIn === null ? {} : { expires_in: expiresIn }),
    ...extra,
  };
}

/** A header of a request config (AxiosHeaders or plain object), case-insensitively. */
export function headerOf(config: AxiosRequestConfig | undefined, name: string): string | undefined {
  const value = AxiosHeaders.from((config?.headers ?? {}) as never).get(name);
  return value === undefined || value === null || value === false ? undefined : String(value);
}

/** Lets every pending promise chain run to the end (real timers only: it waits for setImmediate). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A promise with its settling functions exposed. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Registers a token endpoint on `mock` that records calls and answers from a queue, then `tok-N`. */
export function mockTokenEndpoint(
  mock: MockAdapter,
  url: string,
  setup: { lifetimeSeconds?: number | null; tokenExtra?: (n: number) => Record<string, unknown>; prefix?: string } = {},
) {
  const state = { calls: [] as AxiosRequestConfig[], queue: [] as Array<Reply | TokenHandler>, issued: 0 };
  const pattern = new RegExp(`^${url.replace(/[.?*+^$()[\]{}|\\/]/g, '\\$&')}(\\?|$)`);
  mock.onAny(pattern).reply(async (config) => {
    state.calls.push(config);
    const next = state.queue.shift();
    if (next !== undefined) return typeof next === 'function' ? next(config) : next;
    state.issued += 1;
    const n = state.issued;
    return [
      200,
      tokenBody(
        `${setup.prefix ?? 'tok-'}${n}`,
        setup.lifetimeSeconds === undefined ? 3600 : setup.lifetimeSeconds,
        setup.tokenExtra?.(n) ?? {},
      ),
    ];
  });
  return state;
}

/** Registers a catch-all API on `mock` that records calls and echoes the Authorization header it got. */
export function mockApi(mock: MockAdapter, calls: ApiCall[], isValid: (token: string) => boolean) {
  mock.onAny().reply((config) => {
    const authorization = headerOf(config, 'Authorization');
    calls.push({ method: (config.method ?? 'get').toUpperCase(), url: config.url ?? '', authorization, config });
    const token = (authorization ?? '').replace(/^Bearer /, '');
    if (authorization !== undefined && authorization.startsWith('Bearer ') && !isValid(token)) {
      return [401, MANGOPAY_INVALID_CREDENTIALS];
    }
    return [200, { authorization: authorization ?? null }];
  });
}

/** An axios instance on a mock adapter with a mocked token endpoint and API, plugin attached. */
export function createCore(setup: CoreSetup = {}): Core {
  const baseURL = setup.baseURL === undefined ? API_BASE : (setup.baseURL ?? undefined);
  const api = axios.create(baseURL === undefined ? {} : { baseURL });
  const mock = new MockAdapter(api);
  const clock = { now: T0 };
  const endpoint = mockTokenEndpoint(mock, (setup.options?.tokenUrl as string | undefined) ?? TOKEN_URL, setup);
  const core = {
    api,
    mock,
    clock,
    tokenCalls: endpoint.calls,
    tokenQueue: endpoint.queue,
    apiCalls: [] as ApiCall[],
  } as Core;
  mockApi(mock, core.apiCalls, (token) => (core.validTokens ? core.validTokens.has(token) : true));
  core.auth = attachOAuth2(api, {
    tokenUrl: TOKEN_URL,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...(setup.useClock === false ? {} : { clock: () => clock.now }),
    ...setup.options,
  });
  return core;
}

type Visitable = { forEach(fn: (handler: unknown) => void): void };

/** How many interceptors an instance has (axios's managers have a runtime `forEach` its types omit). */
export function countInterceptors(api: AxiosInstance): { request: number; response: number } {
  const count = (manager: unknown) => {
    let n = 0;
    (manager as Visitable).forEach(() => {
      n += 1;
    });
    return n;
  };
  return { request: count(api.interceptors.request), response: count(api.interceptors.response) };
}

/** The form body of a token request as [name, value] pairs, in order. */
export function formPairs(config: AxiosRequestConfig): Array<[string, string]> {
  return [...new URLSearchParams(String(config.data)).entries()];
}

/** Collects every rejection reason of `promises`, failing when one fulfils. */
export async function rejections(promises: Array<Promise<unknown>>): Promise<unknown[]> {
  const settled = await Promise.allSettled(promises);
  return settled.map((s, i) => {
    if (s.status === 'fulfilled') throw new Error(`promise ${i} fulfilled; expected a rejection`);
    return s.reason;
  });
}

/**
 * One reply of the token endpoint: a tuple, a transport failure, or a function (may return a
 * promise, e.g. to hold the answer until the test releases it).
 */
export type TokenReply = Reply | 'network' | 'timeout' | ((config: AxiosRequestConfig) => Reply | Promise<Reply>);

/** What the API server saw on one hit. */
export interface ApiHit {
  method: string;
  url: string;
  params: unknown;
  /** The body exactly as sent to the adapter (after transformRequest). */
  data: unknown;
  /** The request headers as a plain object, at the time of the hit. */
  headers: Record<string, unknown>;
  /** The `Authorization` header as sent. */
  authorization: string;
  /** The bearer token sent, or '' when none. */
  token: string;
  /** Whether the AxiosHeaders instance was intact at the adapter. */
  axiosHeaders: boolean;
  config: InternalAxiosRequestConfig;
}

export interface TokenCall {
  /** `Date.now()` when the token request reached the server (fake time under fake timers). */
  at: number;
  config: AxiosRequestConfig;
}

export interface ResponseHarness {
  api: AxiosInstance;
  mock: MockAdapter;
  auth: OAuth2Handle;
  tokenCalls: TokenCall[];
  apiHits: ApiHit[];
  /** Replies handed out one per token call; when empty, a fresh `tok-N` is issued. */
  tokenReplies: TokenReply[];
  /** Tokens the API accepts. Undefined: any `tok-*`. */
  validTokens?: Set<string>;
  /** Replaces the default API behaviour (401 Mangopay body for a token not accepted, else 200). */
  apiReply?: (hit: ApiHit) => Reply | undefined | Promise<Reply | undefined>;
}

export interface ResponseHarnessOptions {
  options?: Partial<OAuth2Options>;
  /** `expires_in` of issued tokens. @default 3600 */
  lifetimeSeconds?: number;
  baseURL?: string;
  /** Do not attach the plugin (the test attaches it, e.g. to choose the interceptor order). */
  noAttach?: boolean;
}

/** The default options: a deterministic clock (read at each call, so fake timers apply) and jitter 0. */
export function defaultOptions(extra: Partial<OAuth2Options> = {}): OAuth2Options {
  return {
    tokenUrl: TOKEN_URL,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    clock: () => Date.now(),
    random: () => 0,
    ...extra,
  };
}

function transportError(kind: 'network' | 'timeout', config: AxiosRequestConfig): AxiosError {
  return kind === 'network'
    ? new AxiosError('Network Error', AxiosError.ERR_NETWORK, config as InternalAxiosRequestConfig)
    : new AxiosError('timeout of 30000ms exceeded', AxiosError.ECONNABORTED, config as InternalAxiosRequestConfig);
}

function plainHeaders(headers: unknown): Record<string, unknown> {
  if (!headers || typeof headers !== 'object') return {};
  const h = headers as { toJSON?: () => Record<string, unknown> };
  return typeof h.toJSON === 'function' ? { ...h.toJSON() } : { ...(headers as Record<string, unknown>) };
}

/** An axios instance on a mock adapter, with a scriptable token endpoint and a recording API. */
export function createResponseHarness(setup: ResponseHarnessOptions = {}): ResponseHarness {
  const api = axios.create({ baseURL: setup.baseURL ?? API_BASE });
  const mock = new MockAdapter(api);
  let issued = 0;
  const h = { api, mock, tokenCalls: [], apiHits: [], tokenReplies: [] } as unknown as ResponseHarness;

  mock.onAny(new RegExp(`^${TOKEN_URL.replace(/[.?]/g, '\\$&')}`)).reply(async (config) => {
    h.tokenCalls.push({ at: Date.now(), config });
    const next = h.tokenReplies.shift();
    if (next === undefined) {
      issued += 1;
      return [200, tokenBody(`tok-${issued}`, setup.lifetimeSeconds ?? 3600)];
    }
    if (next === 'network' || next === 'timeout') throw transportError(next, config);
    const reply = typeof next === 'function' ? await next(config) : next;
    return reply as [number, unknown];
  });

  mock.onAny(/^https:\/\/(api|other)\.example\.com\//).reply(async (config) => {
    const authorization = String(config.headers?.Authorization ?? '');
    const hit: ApiHit = {
      method: String(config.method ?? 'get').toUpperCase(),
      url: String(config.url ?? ''),
      params: config.params,
      data: config.data,
      headers: plainHeaders(config.headers),
      authorization,
      token: authorization.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : '',
      axiosHeaders: config.headers?.constructor?.name === 'AxiosHeaders',
      config: config as InternalAxiosRequestConfig,
    };
    h.apiHits.push(hit);
    const custom = h.apiReply ? await h.apiReply(hit) : undefined;
    if (custom) return custom as [number, unknown];
    const ok = h.validTokens ? h.validTokens.has(hit.token) : hit.token.startsWith('tok-');
    if (!ok) return [401, MANGOPAY_INVALID_CREDENTIALS];
    return [200, { token: hit.token, data: config.data ?? null }];
  });

  if (!setup.noAttach) h.auth = attachOAuth2(api, defaultOptions(setup.options));
  return h;
}

/** Settles a promise into a value or its rejection reason, never throwing. */
export async function outcome<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The rejection reason of a promise that must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  const result = await outcome(promise);
  if (result.ok) throw new Error('expected the promise to reject, but it resolved');
  return result.error;
}

/** A token-endpoint error body (RFC 6749 §5.2). */
export function oauthError(error: string, description?: string): Record<string, string> {
  return description === undefined ? { error } : { error, error_description: description };
}

/** Lets promise chains run (real timers) until `predicate` holds; fails after `rounds` rounds. */
export async function waitFor(predicate: () => boolean, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (predicate()) return;
    await flush();
  }
  throw new Error('waitFor: condition never became true');
}
