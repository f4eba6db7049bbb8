import type { AxiosError, AxiosInstance } from 'axios';
import { OAuth2OptionsError } from '../errors';
import type { OAuth2Hooks } from '../events/hooks';
import type { AttachmentEvents } from '../events/attachment-events';
import type { Extension } from '../contracts/extension';
import type { GrantOptions, OAuth2Options } from './options';
import { isTokenRejected } from '../policy/token-rejection';
import { isEndpointSource, type EndpointResolver, type EndpointSource } from '../contracts/endpoint';
import type { TokenStore } from '../store/token-store';
import { MemoryTokenStore } from '../store/memory';
import { originOf, isSecureEnough } from '../util/url';
import { describe } from '../util/describe';
import { didYouMean } from '../util/suggest';
import { resolveCustomGrant } from './custom-grant';
import { grantTypeOf, resolveClientAuth } from './client-auth-option';
import type { ClientAuth, TokenRequestFormat } from '../contracts/client-auth';
import { checkedResource, normaliseScope, type NormalisedSelector } from '../token/token-selector';
import { DEFAULT_TOKEN_LIFETIME_SECONDS } from '../token/token-response';
import { OAuth2RequestOptionsError } from '../errors';
import type { BoundSenderConstraint, SenderConstraint } from '../contracts/sender-constraint';
import { constrainedTokenTypes, resolveSenderConstraint } from './sender-constraint-option';
import {
  API_ORIGIN_KEYS,
  checkKeys,
  GRANT_KEYS,
  LOCKOUT_KEYS,
  OPTION_KEYS,
  PRESET_KEYS,
  REJECTION_KEYS,
  RETRY_KEYS,
} from './option-keys';
import { HOOK_NAMES } from '../events/hooks';
import { NO_OWN_CREDENTIALS, checkTenants } from './tenants-option';
import type { TenantsFeature } from '../contracts/tenants';
import { isSubjectGrant, type BoundSubjectGrant, type SubjectGrant } from '../contracts/grant';

/** Options with every default applied, checked once at attach time. */
export interface ResolvedOptions {
  /** The configured token endpoint; undefined when an endpoint source (`discover(issuer)`) finds it. */
  readonly tokenUrl?: string;
  /** The endpoint source's issuer, exactly as given (compared as is with the metadata's). */
  readonly issuer?: string;
  /** The attachment's resolver of its endpoint source; undefined with a `tokenUrl` string. */
  readonly endpoint?: EndpointResolver;
  readonly clientId: string;
  readonly scope?: string;
  /** RFC 8707 resource indicator sent with every token request of this entry (see `resource`). */
  readonly resource?: string;
  /**
   * Set on the entries made for a selection other than the attachment's own (per request, per
   * origin, or through the handle): the scope and resource that entry's token is for, named in its
   * token events.
   */
  readonly selection?: { scope?: string; resource?: string };
  readonly grant: GrantOptions;
  /**
   * A grant value whose tokens are per subject (`tokenExchange(…)`): the attachment's entries then
   * serve no token themselves; each subject has its own (see `SubjectEntries`). `grant` is then
   * the custom grant of its `grant_type`.
   */
  readonly subjectGrant?: SubjectGrant;
  /** Set on the entry of one subject: the grant bound to it (its parameters, expiry, response check). */
  readonly subjectBinding?: BoundSubjectGrant;
  /** Set on the entry of one subject: the keyed hash (HMAC, the attachment's random key) that names it. */
  readonly subjectKey?: string;
  /**
   * The client-authentication method, as this attachment uses it (checked against the attachment,
   * see `ClientAuth.attach`): the built-in shared-secret one, or the value given.
   */
  readonly clientAuthentication: ClientAuth;
  /** Lifetime assumed for a token with neither `expires_in` nor a JWT `exp`. */
  readonly defaultTokenLifetimeMs: number;
  readonly basicEncoding: 'rfc6749' | 'raw';
  /** Accepted `token_type` values, lower-cased. */
  readonly acceptTokenTypes: ReadonlySet<string>;
  /** The sender constraint (`dpop()`), bound to this attachment, its session loaded lazily; undefined when none. */
  readonly senderConstraint?: BoundSenderConstraint;
  readonly tokenRequestFormat: TokenRequestFormat;
  readonly tokenRequestHeaders: Record<string, string>;
  readonly tokenRequestParams: Record<string, string>;
  readonly apiOrigins: ReadonlySet<string>;
  /** Per-origin token defaults (`apiOrigins` entries given as objects with a scope or resource), by origin. */
  readonly originDefaults: ReadonlyMap<string, NormalisedSelector>;
  /** Most entries kept for per-request selections (least recently used dropped first). */
  readonly maxCachedTokens: number;
  readonly refreshSkewMs: number;
  readonly backgroundRefresh: boolean;
  readonly store: TokenStore;
  readonly tokenHttpClient?: AxiosInstance;
  readonly tokenRequestTimeoutMs?: number;
  readonly maxTokenResponseBytes: number;
  readonly allowInsecureHttp: boolean;
  readonly isTokenRejected: (error: AxiosError) => boolean;
  readonly authorizationHeader: 'respect' | 'replace';
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly initialCooldownMs: number;
  readonly maxCooldownMs: number;
  readonly maxRetryAfterMs: number;
  readonly whileLocked: 'fail' | 'wait';
  readonly failureCacheMs: number;
  readonly rejectionWindowMs: number;
  readonly rejectionInitialCooldownMs: number;
  readonly rejectionMaxCooldownMs: number;
  readonly storeTimeoutMs: number;
  readonly hooks: OAuth2Hooks;
  /** The extensions given at attach (`revokeOnClose()`, `diagnosticsChannels()`…), checked. */
  readonly extensions: readonly Extension[];
  /** The attachment's event stream (hooks and extensions); made by `attachOAuth2` once the cache key is known. */
  readonly events?: AttachmentEvents;
  readonly clock: () => number;
  readonly random: () => number;
  /** Many tenants: the `tenants` option (`tenants({...})`), checked; undefined without it. */
  readonly tenants?: TenantsFeature;
  /** Many tenants: set when the attachment has no credentials of its own (`tenants` without `clientId`). */
  readonly noOwnCredentials?: true;
  /** Many tenants: the tenant whose token requests these options make (per-tenant options only). */
  readonly tenant?: string;
}

export { DEFAULT_TOKEN_LIFETIME_SECONDS };

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
// The lower layers (src/http) need it too, and may not import src/options.
import { MAX_TIMER_MS } from '../util/timers';
export { MAX_TIMER_MS };
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
  // A grant value per subject: its token requests are the custom grant of its type, their parameters the subject's.
  if (isSubjectGrant(value)) return { type: 'custom', grantType: value.grantType, parameters: noSubject };
  if (!isObject(value)) fail('grant', "an object such as { type: 'client_credentials' }", value);
  if (value.type === 'client_credentials') {
    checkKeys('grant', value, GRANT_KEYS.client_credentials);
    return { type: 'client_credentials' };
  }
  if (value.type === 'custom') {
    checkKeys('grant', value, GRANT_KEYS.custom);
    return resolveCustomGrant(value);
  }
  if (value.type === 'password') {
    checkKeys('grant', value, GRANT_KEYS.password);
    return {
      type: 'password',
      username: requireString('grant.username', value.username),
      password: requireString('grant.password', value.password),
    };
  }
  return fail('grant.type', "'client_credentials', 'password' or 'custom'", value.type);
}

/** The parameters of a per-subject grant's entry without a subject: never asked (such a request fails first). */
function noSubject(): never {
  throw new TypeError('no subject token: a token-exchange entry without a subject is never used');
}

/**
 * The scope and resource of the attachment: its own, else a per-subject grant's (`tokenExchange({ scope })`);
 * set in both places is an error (two defaults, one token).
 */
function grantDefault(name: 'scope' | 'resource', own: unknown, grant: unknown): unknown {
  if (!isSubjectGrant(grant) || grant[name] === undefined) return own;
  if (own !== undefined) {
    throw new OAuth2OptionsError(
      name,
      `axios-oauth2-bearer: option "${name}" is set both on the attachment and in the grant (tokenExchange({ ${name} })); set it once`,
    );
  }
  return grant[name];
}

function resolveTokenTypes(value: unknown, constraint: SenderConstraint | undefined): ReadonlySet<string> {
  if (constraint)
    return constrainedTokenTypes(value === undefined ? undefined : resolveTokenTypes(value, undefined), constraint);
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

export { isSecureEnough };

const HTTP_RULE = 'http is allowed only on loopback hosts, or everywhere with allowInsecureHttp: true';

/** An absolute URL that may carry credentials (see {@link isSecureEnough}), as given. */
function secureUrl(option: string, value: unknown, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(requireString(option, value));
  } catch (error) {
    if (error instanceof OAuth2OptionsError) throw error;
    return fail(option, 'an absolute URL', value);
  }
  if (!isSecureEnough(url, allowInsecureHttp)) {
    throw new OAuth2OptionsError(
      option,
      `axios-oauth2-bearer: option "${option}" must use https (${HTTP_RULE}), got ${url.protocol}//${url.host}`,
    );
  }
  return url;
}

/** `tokenUrl`: a token endpoint URL, kept as a string; or an endpoint source (`discover(issuer)`), returned as is. */
function resolveTokenUrl(value: unknown, allowInsecureHttp: boolean): string | EndpointSource {
  if (isEndpointSource(value)) return value;
  if (value === undefined || (typeof value === 'object' && value !== null))
    fail('tokenUrl', 'an absolute URL or an endpoint source such as discover(issuer)', value);
  return secureUrl('tokenUrl', value, allowInsecureHttp).toString();
}

/**
 * The origins that receive the bearer. RFC 6750 §5.3: bearer tokens MUST travel over TLS, so an
 * `http:` origin is refused unless it is loopback or `allowInsecureHttp` is set (the default origin
 * taken from the instance's `baseURL` included; the one from `tokenUrl` was checked with it).
 */
function resolveOrigins(
  value: unknown,
  instance: AxiosInstance,
  /** The URL whose origin is the default when there is no baseURL: `tokenUrl`, else `issuer`. */
  tokenUrl: string,
  allowInsecureHttp: boolean,
): { origins: Set<string>; defaults: Map<string, NormalisedSelector> } {
  const refuse = (option: string, origin: string, what: string): never => {
    throw new OAuth2OptionsError(
      option,
      `axios-oauth2-bearer: option "${option}" must be https, as bearer tokens must not be sent in clear text ` +
        `(RFC 6750 §5.3; ${HTTP_RULE}): ${what} is ${origin}`,
    );
  };
  const secure = (origin: string) => isSecureEnough(new URL(origin), allowInsecureHttp);
  const defaults = new Map<string, NormalisedSelector>();
  if (value === undefined) {
    const base = instance.defaults.baseURL;
    const baseOrigin = base ? originOf(base) : undefined;
    if (baseOrigin !== undefined && !secure(baseOrigin)) {
      refuse('apiOrigins', baseOrigin, "its default, the origin of the instance's baseURL,");
    }
    return { origins: new Set([baseOrigin || (originOf(tokenUrl) as string)]), defaults };
  }
  if (!Array.isArray(value) || value.length === 0) fail('apiOrigins', 'a non-empty array of origins', value);
  const origins = new Set(
    value.map((item: unknown, i) => {
      const entry = isObject(item) ? item : undefined;
      if (entry) checkKeys(`apiOrigins[${i}]`, entry, API_ORIGIN_KEYS);
      const given = entry ? entry.origin : item;
      const origin =
        originOf(typeof given === 'string' ? given : '') ??
        fail(entry ? `apiOrigins[${i}].origin` : `apiOrigins[${i}]`, 'an absolute http(s) URL or origin', given);
      if (!secure(origin)) refuse(`apiOrigins[${i}]`, origin, 'it');
      const selector = entry && originSelector(`apiOrigins[${i}]`, entry);
      if (selector && defaults.has(origin)) {
        throw new OAuth2OptionsError(
          `apiOrigins[${i}]`,
          `axios-oauth2-bearer: option "apiOrigins[${i}]" gives ${origin} token defaults a second time; give each origin once`,
        );
      }
      if (selector) defaults.set(origin, selector);
      return origin;
    }),
  );
  return { origins, defaults };
}

/** The scope and resource of an `apiOrigins` object entry, checked and normalised; undefined when it sets neither. */
function originSelector(option: string, entry: Record<string, unknown>): NormalisedSelector | undefined {
  const scope = entry.scope === undefined ? undefined : normaliseScope(requireString(`${option}.scope`, entry.scope));
  const resource = resolveResource(`${option}.resource`, entry.resource);
  return scope === undefined && resource === undefined ? undefined : { scope, resource };
}

/** A resource indicator option: an absolute URI without fragment (RFC 8707 §2). */
function resolveResource(option: string, value: unknown): string | undefined {
  try {
    return checkedResource(option, value);
  } catch (error) {
    if (!(error instanceof OAuth2RequestOptionsError)) throw error;
    return fail(option, 'an absolute URI without a fragment (RFC 8707)', value, false);
  }
}

/** `extensions`: an array of extension values (each made by its factory, which checked its own input); one of each name. */
function resolveExtensions(value: unknown): readonly Extension[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail('extensions', 'an array of extensions such as revokeOnClose()', value);
  const names = new Set<string>();
  return Object.freeze(
    value.map((item: unknown, i) => {
      const extension = item as Partial<Extension> | null;
      if (!isObject(item) || typeof extension?.name !== 'string' || !isFunction(extension.attach))
        fail(`extensions[${i}]`, 'an extension such as revokeOnClose() or diagnosticsChannels()', item);
      if (names.has(extension.name)) {
        throw new OAuth2OptionsError(
          `extensions[${i}]`,
          `axios-oauth2-bearer: option "extensions[${i}]" gives ${extension.name}() a second time; give each extension once`,
        );
      }
      names.add(extension.name);
      return item as unknown as Extension;
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
      const known = [...OPTION_KEYS, ...PRESET_KEYS];
      throw new OAuth2OptionsError(key, `axios-oauth2-bearer: unknown option "${key}"${didYouMean(key, known)}`);
    }
  }
  const o = options as unknown as Record<string, unknown>;
  const allowInsecureHttp = optional('allowInsecureHttp', o.allowInsecureHttp, isBoolean, 'a boolean', false);
  const endpointOption = resolveTokenUrl(o.tokenUrl, allowInsecureHttp);
  const tokenUrl = typeof endpointOption === 'string' ? endpointOption : undefined;
  const source = typeof endpointOption === 'string' ? undefined : endpointOption;
  const issuer = source?.issuer;
  const tokenRequestFormat = optional(
    'tokenRequestFormat',
    o.tokenRequestFormat,
    oneOf<TokenRequestFormat>('form', 'json', 'query'),
    "'form', 'json' or 'query'",
    'form',
  );
  const tokenHttpClient = optional(
    'tokenHttpClient',
    o.tokenHttpClient,
    (v): v is AxiosInstance => isFunction(v) && isFunction((v as { request?: unknown }).request),
    'an axios instance',
    undefined,
  );
  const retry = optional('retry', o.retry, isObject, 'an object', {});
  const lockout = optional('lockout', o.lockout, isObject, 'an object', {});
  checkKeys('retry', retry, RETRY_KEYS);
  const rejection = optional('rejection', o.rejection, isObject, 'an object', {});
  checkKeys('rejection', rejection, REJECTION_KEYS);
  checkKeys('lockout', lockout, LOCKOUT_KEYS);
  // Many tenants: an attachment with `tenants` and none of clientId, clientSecret, clientAuthentication has no credentials of its own.
  const tenants = checkTenants(o.tenants);
  const noOwnCredentials =
    tenants !== undefined &&
    o.clientId === undefined &&
    o.clientSecret === undefined &&
    o.clientAuthentication === undefined;
  const clientId = noOwnCredentials ? '' : requireString('clientId', o.clientId);
  const basicEncoding = optional(
    'basicEncoding',
    o.basicEncoding,
    oneOf('rfc6749', 'raw'),
    "'rfc6749' or 'raw'",
    'rfc6749',
  );
  const grant = resolveGrant(o.grant);
  const clientAuthentication = noOwnCredentials
    ? NO_OWN_CREDENTIALS
    : resolveClientAuth(o.clientAuthentication, o.clientSecret, {
        clientId,
        grantType: grantTypeOf(grant),
        tokenRequestFormat,
        instance,
        tokenHttpClient,
        basicEncoding,
      });
  const origins = resolveOrigins(o.apiOrigins, instance, (tokenUrl ?? issuer) as string, allowInsecureHttp);
  const readClock: () => number =
    optional('clock', o.clock, isFunction, 'a function', undefined) ?? monotonicEpochClock();
  // Whole milliseconds: every time the plugin shows (expiresAt, retryAt, hook payloads) is an integer.
  const clock = () => Math.floor(readClock());
  const senderConstraint = resolveSenderConstraint(o.senderConstraint, { sharedStore: o.store !== undefined, clock });
  const endpoint = source?.attach({
    allowInsecureHttp,
    authMethod: tokenRequestFormat === 'query' ? undefined : clientAuthentication.method,
    mutualTls: clientAuthentication.mutualTls,
    clock,
  });
  // Token exchange: the grant value's scope stands for the attachment's (see grantDefault).
  const scopeOption = grantDefault('scope', o.scope, o.grant);
  return Object.freeze({
    tokenUrl,
    issuer,
    endpoint,
    clientId,
    scope: scopeOption === undefined ? undefined : requireString('scope', scopeOption),
    resource: resolveResource('resource', grantDefault('resource', o.resource, o.grant)),
    grant,
    subjectGrant: isSubjectGrant(o.grant) ? o.grant : undefined,
    clientAuthentication,
    defaultTokenLifetimeMs:
      optional(
        'defaultTokenLifetimeSeconds',
        o.defaultTokenLifetimeSeconds,
        (v): v is number => isPositive(v) && v <= MAX_TIMER_MS / 1000,
        `a positive number of seconds up to ${Math.floor(MAX_TIMER_MS / 1000)}`,
        DEFAULT_TOKEN_LIFETIME_SECONDS,
      ) * 1000,
    basicEncoding,
    acceptTokenTypes: resolveTokenTypes(o.acceptTokenTypes, senderConstraint?.constraint),
    senderConstraint,
    tokenRequestFormat,
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
    apiOrigins: origins.origins,
    originDefaults: origins.defaults,
    maxCachedTokens: optional('maxCachedTokens', o.maxCachedTokens, isPositiveInteger, 'a positive integer', 32),
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
    tokenHttpClient,
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
    extensions: resolveExtensions(o.extensions),
    clock,
    random: optional('random', o.random, isFunction, 'a function', Math.random),
    // Many tenants:
    ...(tenants && { tenants }),
    ...(noOwnCredentials && { noOwnCredentials: true as const }),
  });
}
