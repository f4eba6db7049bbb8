import type { OAuth2RequestOptions } from '../http/request-options';
import { OAuth2RequestOptionsError } from '../errors';
import { describe } from '../util/describe';
import { didYouMean } from '../util/suggest';

/**
 * Which token of an attachment a handle call (`getToken`, `getAccessToken`, `invalidate`) acts on: the
 * scope and the RFC 8707 resource indicator it is requested for. Each distinct pair (scope compared
 * order-insensitively) has its own cached token. A field left out is the attachment's (the
 * `apiOrigins` defaults do not apply: a handle call has no origin); no selector: the attachment's own token.
 */
export interface TokenSelector {
  /**
   * Space-separated scopes; order and repeated whitespace do not matter (`"a b"` and `"b  a"` are one token).
   * @default the attachment's `scope`
   */
  scope?: string;
  /**
   * RFC 8707 resource indicator (an absolute URI without fragment), sent as `resource` in the token request.
   * @default the attachment's `resource`
   */
  resource?: string;
}

/** A selector whose values were checked and normalised (scope sorted and deduplicated). */
export interface NormalisedSelector {
  readonly scope?: string;
  readonly resource?: string;
}

/**
 * Every key of `config.oauth2` (`OAuth2RequestOptions`): the caller's (`skip`, `scope`, `resource`)
 * and the plugin's own markers. Typed against the interface, so a key added there and forgotten here
 * (or the reverse) does not compile: a request the plugin itself marked is never refused.
 */
const REQUEST_OPTION_REGISTRY: Record<keyof OAuth2RequestOptions, true> = {
  skip: true,
  scope: true,
  resource: true,
  injected: true,
  replayed: true,
  dpopNonceRetried: true,
  // Many tenants: checked (and used) by the tenants layer.
  tenant: true,
  // Token exchange: checked by the attachment (see TokenEntries.forSubjectOf).
  subjectToken: true,
  subjectTokenExpiresAt: true,
};
const REQUEST_OPTION_KEYS: ReadonlySet<string> = new Set(Object.keys(REQUEST_OPTION_REGISTRY));
/** The keys of `config.oauth2` whose value is a boolean (the plugin's markers included: a caller may set them). */
const BOOLEAN_REQUEST_OPTIONS = ['skip', 'injected', 'replayed', 'dpopNonceRetried'] as const satisfies ReadonlyArray<
  keyof OAuth2RequestOptions
>;
/** The keys a caller sets (the others are the plugin's markers): the ones a typo is compared with. */
const PUBLIC_REQUEST_KEYS = ['skip', 'scope', 'resource', 'tenant', 'subjectToken', 'subjectTokenExpiresAt'] as const;

/** `scope` with its scopes sorted, deduplicated and separated by one space: equal sets give equal strings. */
export function normaliseScope(scope: string): string {
  return [...new Set(scope.split(/\s+/).filter((s) => s !== ''))].sort().join(' ');
}

function requestOptionsError(option: string, problem: string): OAuth2RequestOptionsError {
  return new OAuth2RequestOptionsError(option, `axios-oauth2-bearer: ${problem}`);
}

/** Checks one selector value; `where` names it in errors (`oauth2.scope`, `getToken.resource`). */
function checkedScope(where: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const scope = typeof value === 'string' ? normaliseScope(value) : '';
  if (scope === '') throw requestOptionsError(where, `"${where}" must be a non-empty string of space-separated scopes`);
  return scope;
}

/**
 * A resource indicator as RFC 8707 §2 wants it: an absolute URI without a fragment, kept as given (the
 * server compares it as a string). The value is not echoed in errors (a URI may carry credentials).
 */
export function checkedResource(where: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let valid = false;
  if (typeof value === 'string' && /^[a-z][a-z\d+\-.]*:/i.test(value) && !value.includes('#')) {
    try {
      new URL(value);
      valid = true;
    } catch {
      valid = false;
    }
  }
  if (!valid) throw requestOptionsError(where, `"${where}" must be an absolute URI without a fragment (RFC 8707)`);
  return value as string;
}

/**
 * The selector of `config.oauth2`, checked: not an object, an unknown key (a typo) or a value of the
 * wrong type throws {@link OAuth2RequestOptionsError}. Undefined when it selects nothing (no scope, no resource).
 */
export function requestSelector(options: unknown): NormalisedSelector | undefined {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw requestOptionsError(
      'oauth2',
      `"oauth2" must be an object such as { skip: true }, got ${describe(options)} (per-request options: skip, scope, resource)`,
    );
  }
  for (const key in options) {
    if (!REQUEST_OPTION_KEYS.has(key)) {
      throw requestOptionsError(
        `oauth2.${key}`,
        `unknown per-request option "oauth2.${key}"${didYouMean(key, PUBLIC_REQUEST_KEYS, 'oauth2.')} (known: skip, scope, resource)`,
      );
    }
  }
  for (const key of BOOLEAN_REQUEST_OPTIONS) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined && typeof value !== 'boolean') {
      throw requestOptionsError(`oauth2.${key}`, `"oauth2.${key}" must be a boolean, got ${describe(value, false)}`);
    }
  }
  const { scope, resource } = options as TokenSelector;
  if (scope === undefined && resource === undefined) return undefined;
  return { scope: checkedScope('oauth2.scope', scope), resource: checkedResource('oauth2.resource', resource) };
}

/** The selector given to a handle method (`getToken`…), checked like {@link requestSelector}; `extra` keys are allowed too. */
export function handleSelector(
  method: string,
  options: unknown,
  extra: readonly string[] = [],
): NormalisedSelector | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    throw requestOptionsError(method, `the argument of ${method}() must be an object`);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'scope' && key !== 'resource' && !extra.includes(key)) {
      const known = ['scope', 'resource', ...extra];
      throw requestOptionsError(`${method}.${key}`, `unknown option "${key}" of ${method}()${didYouMean(key, known)}`);
    }
  }
  const { scope, resource } = options as TokenSelector;
  if (scope === undefined && resource === undefined) return undefined;
  return { scope: checkedScope(`${method}.scope`, scope), resource: checkedResource(`${method}.resource`, resource) };
}

/**
 * The selector in force, field by field: the request's over the origin's over the attachment's.
 * (Each of `scope` and `resource` is taken from the first level that sets it.)
 */
export function mergeSelectors(
  request: NormalisedSelector | undefined,
  origin: NormalisedSelector | undefined,
  attachment: NormalisedSelector,
): NormalisedSelector {
  return {
    scope: request?.scope ?? origin?.scope ?? attachment.scope,
    resource: request?.resource ?? origin?.resource ?? attachment.resource,
  };
}

/** The map key of a normalised selector (in memory only; the store key is the cache key of its token request). */
export function selectorKey(selector: NormalisedSelector): string {
  return JSON.stringify([selector.scope ?? null, selector.resource ?? null]);
}
