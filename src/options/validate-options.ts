import type { AxiosError, AxiosInstance } from 'axios';
import { OAuth2OptionsError } from '../errors';
import type { OAuth2Hooks } from './hooks';
import type { ClientAuthentication, GrantOptions, OAuth2Options } from './options';
import { isTokenRejected } from '../policy/token-rejection';
import type { TokenStore } from '../store/token-store';
import { MemoryTokenStore } from '../store/memory';
import { originOf, isLoopbackHost } from '../util/url';
import { describe } from './describe';
import { DPoPBinding } from '../dpop/dpop-binding';
import { dpopTokenTypes, resolveDPoPOption } from '../dpop/dpop-option';
import {
  GRANT_KEYS,
  HOOK_NAMES,
  LOCKOUT_KEYS,
  OPTION_KEYS,
  PRESET_KEYS,
  REJECTION_KEYS,
  RETRY_KEYS,
} from './option-keys';

/** Options with every default applied, checked once at attach time. */
export interface ResolvedOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  grant: GrantOptions;
  clientAuthentication: ClientAuthentication;
  basicEncoding: 'rfc6749' | 'raw';
  /** Accepted `token_type` values, lower-cased. */
  acceptTokenTypes: ReadonlySet<string>;
  /** DPoP (RFC 9449): the attachment's key and lazily loaded signer; undefined when off. */
  dpop?: DPoPBinding;
  tokenRequestFormat: 'form' | 'json';
  tokenRequestHeaders: Record<string, string>;
  tokenRequestParams: Record<string, string>;
  apiOrigins: ReadonlySet<string>;
  refreshSkewMs: number;
  backgroundRefresh: boolean;
  store: TokenStore;
  tokenHttpClient?: AxiosInstance;
  tokenRequestTimeoutMs?: number;
  maxTokenResponseBytes: number;
  allowInsecureHttp: boolean;
  isTokenRejected: (error: AxiosError) => boolean;
  authorizationHeader: 'respect' | 'replace';
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  initialCooldownMs: number;
  maxCooldownMs: number;
  maxRetryAfterMs: number;
  whileLocked: 'fail' | 'wait';
  failureCacheMs: number;
  rejectionWindowMs: number;
  rejectionInitialCooldownMs: number;
  rejectionMaxCooldownMs: number;
  storeTimeoutMs: number;
  hooks: OAuth2Hooks;
  clock: () => number;
  random: () => number;
}

/** Default cap on a token response body: 1 MiB, far above any real token response (large JWTs included). */
export const DEFAULT_MAX_TOKEN_RESPONSE_BYTES = 1_048_576;

function fail(option: string, expected: string, value: unknown, revealNumbers = true): never {
  throw new OAuth2OptionsError(
    option,
    `axios-oauth2-bearer: option "${option}" must be ${expected}, got ${describe(value, revealNumbers)}`,
  );
}

/** String options may hold secrets (clientSecret, grant.password): a wrong-typed value is never echoed. */
function requireString(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') fail(option, 'a non-empty string', value, false);
  return value;
}

const isListed = (keys: readonly string[], key: string): boolean => keys.includes(key);

/** Rejects unknown keys of a nested option object, so a typo is not silently ignored. */
function checkKeys(option: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!isListed(known, key))
      throw new OAuth2OptionsError(`${option}.${key}`, `axios-oauth2-bearer: unknown option "${option}.${key}"`);
  }
}

/** Hooks: an object whose keys are hook names (a typo is an error, not a hook that never fires) and values functions. */
function resolveHooks(value: unknown): OAuth2Hooks {
  const hooks = optional('hooks', value, isObject, 'an object of functions', {});
  checkKeys('hooks', hooks, HOOK_NAMES);
  for (const name of HOOK_NAMES) optional(`hooks.${name}`, hooks[name], isFunction, 'a function', undefined);
  return hooks;
}

function optional<T>(option: string, value: unknown, check: (v: unknown) => v is T, expected: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!check(value)) fail(option, expected, value);
  return value;
}

const isNonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isPositive = (v: unknown): v is number => isNonNegative(v) && v > 0;
const isInteger = (v: unknown): v is number => isNonNegative(v) && Number.isInteger(v);
/** Longest delay `setTimeout` honours (2^31 - 1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;
const isTimerDelay = (v: unknown): v is number => isNonNegative(v) && v > 0 && v <= MAX_TIMER_MS;
const isPositiveInteger = (v: unknown): v is number => isInteger(v) && v > 0;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked for callability only
const isFunction = (v: unknown): v is (...args: any[]) => any => typeof v === 'function';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneOf =
  <T extends string>(...values: T[]) =>
  (v: unknown): v is T =>
    values.includes(v as T);
const isStringRecord = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.values(v).every((x) => typeof x === 'string');

function resolveGrant(value: unknown): GrantOptions {
  if (value === undefined) return { type: 'client_credentials' };
  if (!isObject(value)) fail('grant', "an object such as { type: 'client_credentials' }", value);
  if (value.type === 'client_credentials') {
    checkKeys('grant', value, GRANT_KEYS.client_credentials);
    return { type: 'client_credentials' };
  }
  if (value.type === 'password') {
    checkKeys('grant', value, GRANT_KEYS.password);
    return {
      type: 'password',
      username: requireString('grant.username', value.username),
      password: requireString('grant.password', value.password),
    };
  }
  return fail('grant.type', "'client_credentials' or 'password'", value.type);
}

function resolveTokenTypes(value: unknown, dpop: boolean): ReadonlySet<string> {
  if (dpop) return dpopTokenTypes(value === undefined ? undefined : resolveTokenTypes(value, false));
  if (value === undefined) return new Set(['bearer']);
  if (!Array.isArray(value) || value.length === 0) fail('acceptTokenTypes', 'a non-empty array of strings', value);
  return new Set(
    value.map((item, i) =>
      typeof item === 'string' && item.trim() !== ''
        ? item.toLowerCase()
        : fail(`acceptTokenTypes[${i}]`, 'a non-empty string', item),
    ),
  );
}

/** Whether `url` may carry credentials or a bearer: https, or http on a loopback host, or any http with the opt-in. */
function isSecureEnough(url: URL, allowInsecureHttp: boolean): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (allowInsecureHttp || isLoopbackHost(url.hostname));
}

const HTTP_RULE = 'http is allowed only on loopback hosts, or everywhere with allowInsecureHttp: true';

function resolveTokenUrl(value: unknown, allowInsecureHttp: boolean): string {
  const tokenUrl = requireString('tokenUrl', value);
  let url: URL;
  try {
    url = new URL(tokenUrl);
  } catch {
    return fail('tokenUrl', 'an absolute URL', value);
  }
  if (!isSecureEnough(url, allowInsecureHttp)) {
    throw new OAuth2OptionsError(
      'tokenUrl',
      `axios-oauth2-bearer: option "tokenUrl" must use https (${HTTP_RULE}), got ${url.protocol}//${url.host}`,
    );
  }
  return url.toString();
}

/**
 * The origins that receive the bearer. RFC 6750 §5.3: bearer tokens MUST travel over TLS, so an
 * `http:` origin is refused unless it is loopback or `allowInsecureHttp` is set (the default origin
 * taken from the instance's `baseURL` included; the one from `tokenUrl` was checked with it).
 */
function resolveOrigins(
  value: unknown,
  instance: AxiosInstance,
  tokenUrl: string,
  allowInsecureHttp: boolean,
): Set<string> {
  const refuse = (option: string, origin: string, what: string): never => {
    throw new OAuth2OptionsError(
      option,
      `axios-oauth2-bearer: option "${option}" must be https, as bearer tokens must not be sent in clear text ` +
        `(RFC 6750 §5.3; ${HTTP_RULE}): ${what} is ${origin}`,
    );
  };
  const secure = (origin: string) => isSecureEnough(new URL(origin), allowInsecureHttp);
  if (value === undefined) {
    const base = instance.defaults.baseURL;
    const baseOrigin = base ? originOf(base) : undefined;
    if (baseOrigin !== undefined && !secure(baseOrigin)) {
      refuse('apiOrigins', baseOrigin, "its default, the origin of the instance's baseURL,");
    }
    return new Set([baseOrigin || (originOf(tokenUrl) as string)]);
  }
  if (!Array.isArray(value) || value.length === 0) fail('apiOrigins', 'a non-empty array of origins', value);
  return new Set(
    value.map((item, i) => {
      const origin =
        originOf(typeof item === 'string' ? item : '') ??
        fail(`apiOrigins[${i}]`, 'an absolute http(s) URL or origin', item);
      return secure(origin) ? origin : refuse(`apiOrigins[${i}]`, origin, 'it');
    }),
  );
}

/**
 * The default clock: epoch milliseconds that follow `performance.now()` (monotonic) from an origin read
 * once, so a step of the wall clock does not move it. One per attachment, made at attach time.
 */
export function monotonicEpochClock(): () => number {
  const origin = Date.now() - performance.now();
  return () => origin + performance.now();
}

/** Validates `options` and applies defaults; throws {@link OAuth2OptionsError} (a `TypeError`) naming the option. */
export function resolveOptions(instance: AxiosInstance, options: OAuth2Options): ResolvedOptions {
  if (!isObject(options)) fail('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!isListed(OPTION_KEYS, key) && !isListed(PRESET_KEYS, key)) {
      throw new OAuth2OptionsError(key, `axios-oauth2-bearer: unknown option "${key}"`);
    }
  }
  const o = options as unknown as Record<string, unknown>;
  const allowInsecureHttp = optional('allowInsecureHttp', o.allowInsecureHttp, isBoolean, 'a boolean', false);
  const tokenUrl = resolveTokenUrl(o.tokenUrl, allowInsecureHttp);
  const retry = optional('retry', o.retry, isObject, 'an object', {});
  const lockout = optional('lockout', o.lockout, isObject, 'an object', {});
  checkKeys('retry', retry, RETRY_KEYS);
  const rejection = optional('rejection', o.rejection, isObject, 'an object', {});
  checkKeys('rejection', rejection, REJECTION_KEYS);
  checkKeys('lockout', lockout, LOCKOUT_KEYS);
  const dpopKey = resolveDPoPOption(o.dpop, o.store !== undefined);
  const clock = optional('clock', o.clock, isFunction, 'a function', undefined) ?? monotonicEpochClock();
  return {
    tokenUrl,
    clientId: requireString('clientId', o.clientId),
    clientSecret: requireString('clientSecret', o.clientSecret),
    scope: o.scope === undefined ? undefined : requireString('scope', o.scope),
    grant: resolveGrant(o.grant),
    clientAuthentication: optional(
      'clientAuthentication',
      o.clientAuthentication,
      oneOf<ClientAuthentication>('client_secret_basic', 'client_secret_post', 'query'),
      "'client_secret_basic', 'client_secret_post' or 'query'",
      'client_secret_basic',
    ),
    basicEncoding: optional('basicEncoding', o.basicEncoding, oneOf('rfc6749', 'raw'), "'rfc6749' or 'raw'", 'rfc6749'),
    acceptTokenTypes: resolveTokenTypes(o.acceptTokenTypes, dpopKey !== undefined),
    dpop: dpopKey && new DPoPBinding(dpopKey, clock),
    tokenRequestFormat: optional(
      'tokenRequestFormat',
      o.tokenRequestFormat,
      oneOf('form', 'json'),
      "'form' or 'json'",
      'form',
    ),
    tokenRequestHeaders: optional(
      'tokenRequestHeaders',
      o.tokenRequestHeaders,
      isStringRecord,
      'an object of string values',
      {},
    ),
    tokenRequestParams: optional(
      'tokenRequestParams',
      o.tokenRequestParams,
      isStringRecord,
      'an object of string values',
      {},
    ),
    apiOrigins: resolveOrigins(o.apiOrigins, instance, tokenUrl, allowInsecureHttp),
    allowInsecureHttp,
    refreshSkewMs:
      optional('refreshSkewSeconds', o.refreshSkewSeconds, isNonNegative, 'a non-negative number', 30) * 1000,
    backgroundRefresh: optional('backgroundRefresh', o.backgroundRefresh, isBoolean, 'a boolean', true),
    store:
      optional(
        'store',
        o.store,
        (v): v is TokenStore => isObject(v) && ['get', 'set', 'delete'].every((m) => isFunction(v[m])),
        'an object with get, set and delete methods',
        undefined,
      ) ?? new MemoryTokenStore(),
    tokenHttpClient: optional(
      'tokenHttpClient',
      o.tokenHttpClient,
      (v): v is AxiosInstance => isFunction(v) && isFunction((v as { request?: unknown }).request),
      'an axios instance',
      undefined,
    ),
    tokenRequestTimeoutMs: optional(
      'tokenRequestTimeoutMs',
      o.tokenRequestTimeoutMs,
      isTimerDelay,
      `a positive number of milliseconds up to ${MAX_TIMER_MS}`,
      undefined,
    ),
    maxTokenResponseBytes: optional(
      'maxTokenResponseBytes',
      o.maxTokenResponseBytes,
      isPositiveInteger,
      'a positive integer',
      DEFAULT_MAX_TOKEN_RESPONSE_BYTES,
    ),
    isTokenRejected: optional('isTokenRejected', o.isTokenRejected, isFunction, 'a function', isTokenRejected),
    authorizationHeader: optional(
      'authorizationHeader',
      o.authorizationHeader,
      oneOf('respect', 'replace'),
      "'respect' or 'replace'",
      'respect',
    ),
    retries: optional('retry.retries', retry.retries, isInteger, 'a non-negative integer', 3),
    baseDelayMs: optional('retry.baseDelayMs', retry.baseDelayMs, isNonNegative, 'a non-negative number', 250),
    maxDelayMs: optional('retry.maxDelayMs', retry.maxDelayMs, isNonNegative, 'a non-negative number', 10_000),
    initialCooldownMs: optional(
      'lockout.initialCooldownMs',
      lockout.initialCooldownMs,
      isNonNegative,
      'a non-negative number',
      60_000,
    ),
    maxCooldownMs: optional(
      'lockout.maxCooldownMs',
      lockout.maxCooldownMs,
      isNonNegative,
      'a non-negative number',
      900_000,
    ),
    maxRetryAfterMs: optional(
      'lockout.maxRetryAfterMs',
      lockout.maxRetryAfterMs,
      isNonNegative,
      'a non-negative number',
      3_600_000,
    ),
    whileLocked: optional(
      'lockout.whileLocked',
      lockout.whileLocked,
      oneOf('fail', 'wait'),
      "'fail' or 'wait'",
      'fail',
    ),
    failureCacheMs: optional('failureCacheMs', o.failureCacheMs, isNonNegative, 'a non-negative number', 5000),
    rejectionWindowMs: optional(
      'rejection.windowMs',
      rejection.windowMs,
      isNonNegative,
      'a non-negative number',
      10_000,
    ),
    rejectionInitialCooldownMs: optional(
      'rejection.initialCooldownMs',
      rejection.initialCooldownMs,
      isNonNegative,
      'a non-negative number',
      5_000,
    ),
    rejectionMaxCooldownMs: optional(
      'rejection.maxCooldownMs',
      rejection.maxCooldownMs,
      isNonNegative,
      'a non-negative number',
      300_000,
    ),
    storeTimeoutMs: optional('storeTimeoutMs', o.storeTimeoutMs, isPositive, 'a positive number', 3_000),
    hooks: resolveHooks(o.hooks),
    clock,
    random: optional('random', o.random, isFunction, 'a function', Math.random),
  };
}
