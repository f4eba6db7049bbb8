/**
 * A harness for the response side (issue 3): a mocked token endpoint whose replies can be queued,
 * delayed (promises) or turned into transport errors, and a mocked API whose every hit is recorded
 * with a snapshot of what the server saw (headers are snapshotted because the plugin redacts the
 * live config after an error).
 */
import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { attachOAuth2, type OAuth2Handle, type OAuth2Options } from '../../src';
import { API_BASE, CLIENT_ID, CLIENT_SECRET, TOKEN_URL, tokenBody } from './harness';

export { API_BASE, CLIENT_ID, CLIENT_SECRET, TOKEN_URL, tokenBody };

/** [status, body, headers] as a mock server answers. */
export type ReplyTuple = [number, unknown?, Record<string, string>?];

/**
 * One reply of the token endpoint: a tuple, a transport failure, or a function (may return a
 * promise, e.g. to hold the answer until the test releases it).
 */
export type TokenReply =
  ReplyTuple | 'network' | 'timeout' | ((config: AxiosRequestConfig) => ReplyTuple | Promise<ReplyTuple>);

/** Mangopay's answer to an expired or unknown bearer token. */
export const MANGOPAY_INVALID_CREDENTIALS = {
  Message: 'The authorization credentials are not valid',
  Type: 'invalid_credentials',
  Id: 'c1a8a2b0-0000-4000-8000-000000000001',
  Date: 1700772361.0,
  errors: null,
};

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
  apiReply?: (hit: ApiHit) => ReplyTuple | undefined | Promise<ReplyTuple | undefined>;
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

/** A promise with its resolve function exposed. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise chains run (real timers only). */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
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
    await flushPromises();
  }
  throw new Error('waitFor: condition never became true');
}
