import { OAuth2OptionsError } from '../../errors';
import type { BoundSubjectGrant, Subject, SubjectGrant } from '../../contracts/grant';
import { KeyedSubjectEntries } from './subject-entries';
import { checkIssuedTokenType } from './issued-token-type';
import { subjectTokenExpiry } from './subject-expiry';
import { isTokenTypeUri, TOKEN_EXCHANGE_GRANT } from './token-types';

/** An actor token (RFC 8693 §2.1 `actor_token`): a string, or a function read again for every token request attempt. */
export type ActorToken = string | ((signal: AbortSignal) => string | Promise<string>);

/** What {@link TokenExchangeOptions.subjectToken} may return: the subject token, or it with its expiry. */
export type SubjectTokenValue = string | { token: string; expiresAt?: number } | undefined;

/** Options of {@link tokenExchange}. Token types are URIs (RFC 8693 §3, see `TOKEN_TYPES`). */
export interface TokenExchangeOptions {
  /** `subject_token_type`: the type of the subject tokens, e.g. `urn:ietf:params:oauth:token-type:access_token`. */
  subjectTokenType: string;
  /**
   * `requested_token_type`. When set, a response's `issued_token_type` must equal it; when not, it must
   * be an access token type (`…:access_token` or `…:jwt`). @default none sent
   */
  requestedTokenType?: string;
  /** `audience`: the logical name of the service the token is for. @default none sent */
  audience?: string;
  /**
   * RFC 8707 / RFC 8693 `resource` (an absolute URI without fragment): the attachment's `resource`
   * when it sets none; a request's `oauth2.resource` overrides it. @default none sent
   */
  resource?: string;
  /** Space-separated scopes: the attachment's `scope` when it sets none; a request's `oauth2.scope` overrides it. @default none sent */
  scope?: string;
  /** `actor_token` (the acting party, e.g. this service's own token); needs `actorTokenType`. @default none sent */
  actorToken?: ActorToken;
  /** `actor_token_type`: required with `actorToken`, refused without it. */
  actorTokenType?: string;
  /**
   * Derives the subject token of a request from its axios config when the request sets no
   * `oauth2.subjectToken` (e.g. the incoming user's token an SDK carries in its config). Return
   * undefined for none: the request then fails with `OAuth2RequestOptionsError`, no token call.
   * @default none: every request names its subject in `oauth2.subjectToken`
   */
  subjectToken?: (config: unknown) => SubjectTokenValue;
  /**
   * Most subjects whose exchanged tokens are kept (least recently used dropped first); with `tenants`,
   * per tenant (each tenant keeps its own subjects). @default 1000
   */
  maxSubjects?: number;
}

const KNOWN_KEYS: readonly (keyof TokenExchangeOptions)[] = [
  'subjectTokenType',
  'requestedTokenType',
  'audience',
  'resource',
  'scope',
  'actorToken',
  'actorTokenType',
  'subjectToken',
  'maxSubjects',
];

function optionError(name: string, problem: string): OAuth2OptionsError {
  return new OAuth2OptionsError(
    `tokenExchange.${name}`,
    `axios-oauth2-bearer: option "tokenExchange.${name}" ${problem}`,
  );
}

function tokenType(name: string, value: unknown, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (!isTokenTypeUri(value)) {
    throw optionError(
      name,
      'must be a token type URI (RFC 8693 §3), e.g. "urn:ietf:params:oauth:token-type:access_token"',
    );
  }
  return value;
}

function nonEmpty(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value !== value.trim()) {
    throw optionError(name, 'must be a non-empty string without surrounding whitespace');
  }
  return value;
}

function resourceUri(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let valid = typeof value === 'string' && /^[a-z][a-z\d+\-.]*:/i.test(value) && !value.includes('#');
  if (valid) {
    try {
      new URL(value as string);
    } catch {
      valid = false;
    }
  }
  if (!valid) throw optionError('resource', 'must be an absolute URI without a fragment (RFC 8707)');
  return value as string;
}

/** The actor token of one attempt (a function is called again each time). */
async function actorOf(actor: ActorToken, signal: AbortSignal): Promise<string> {
  const value = typeof actor === 'function' ? await actor(signal) : actor;
  if (typeof value !== 'string' || value === '')
    throw new TypeError('the actorToken function must return a non-empty string');
  return value;
}

/**
 * A grant value for `attachOAuth2`'s `grant` option: OAuth 2.0 token exchange (RFC 8693). Each
 * request names a subject (a user's token), in `oauth2: { subjectToken }` or through the
 * `subjectToken` function, and is sent with a token the authorization server issued for that subject:
 * `grant_type=urn:ietf:params:oauth:grant-type:token-exchange` with `subject_token`,
 * `subject_token_type` and, when set, `actor_token`/`actor_token_type`, `requested_token_type`,
 * `audience`, `resource` and `scope`.
 *
 * Every subject has its own cached token (single flight, early renewal, one replay on a 401, like
 * every token of the plugin), keyed by a keyed hash of the subject token (HMAC-SHA256 with a random
 * key of the attachment: never the token, nor a hash of it anyone could check offline), at most
 * `maxSubjects` kept. A token is never used past its subject token's expiry (a JWT subject's `exp`,
 * decoded not verified, or `oauth2.subjectTokenExpiresAt`); a request whose subject token expired
 * fails with `OAuth2RequestOptionsError`, no token call. A response's `issued_token_type` is
 * checked (RFC 8693 §2.2.1); a refresh token in it is dropped (a renewal exchanges the subject token
 * again). Subject and actor tokens are scrubbed from every error, hook payload and message.
 *
 * The options are checked now: a wrong one throws `OAuth2OptionsError` naming it
 * (`tokenExchange.subjectTokenType`…).
 *
 * @example
 * ```ts
 * import { attachOAuth2 } from 'axios-oauth2-bearer';
 * import { tokenExchange, TOKEN_TYPES } from 'axios-oauth2-bearer/token-exchange';
 *
 * attachOAuth2(api, {
 *   tokenUrl: 'https://login.example.com/oauth2/token',
 *   clientId: 'orders-service',
 *   clientSecret: process.env.CLIENT_SECRET!,
 *   grant: tokenExchange({ subjectTokenType: TOKEN_TYPES.accessToken, audience: 'billing-api' }),
 * });
 * // per request: the incoming user's token
 * await api.get('/invoices', { oauth2: { subjectToken: userAccessToken } });
 * ```
 */
export function tokenExchange(options: TokenExchangeOptions): SubjectGrant {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new OAuth2OptionsError(
      'tokenExchange',
      'axios-oauth2-bearer: tokenExchange() needs an options object with subjectTokenType',
    );
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.includes(key as keyof TokenExchangeOptions)) {
      throw optionError(key, `is not an option of tokenExchange() (known: ${KNOWN_KEYS.join(', ')})`);
    }
  }
  const subjectTokenType = tokenType('subjectTokenType', options.subjectTokenType, true) as string;
  const requestedTokenType = tokenType('requestedTokenType', options.requestedTokenType, false);
  const actorTokenType = tokenType('actorTokenType', options.actorTokenType, false);
  const audience = nonEmpty('audience', options.audience);
  const scope = nonEmpty('scope', options.scope);
  const resource = resourceUri(options.resource);
  const { actorToken, subjectToken } = options;
  if (
    actorToken !== undefined &&
    typeof actorToken !== 'function' &&
    (typeof actorToken !== 'string' || actorToken === '')
  ) {
    throw optionError('actorToken', 'must be a non-empty string or a function returning one');
  }
  if ((actorToken === undefined) !== (actorTokenType === undefined)) {
    const [given, missing] =
      actorToken === undefined ? ['actorTokenType', 'actorToken'] : ['actorToken', 'actorTokenType'];
    throw optionError(missing, `is required with ${given} (RFC 8693 §2.1)`);
  }
  if (subjectToken !== undefined && typeof subjectToken !== 'function') {
    throw optionError('subjectToken', 'must be a function of the request config');
  }
  const maxSubjects = options.maxSubjects ?? 1000;
  if (!Number.isInteger(maxSubjects) || maxSubjects < 1) throw optionError('maxSubjects', 'must be a positive integer');

  /** Public parameters of every request: in the cache key and sent as they are. */
  const identity: Record<string, string> = { subject_token_type: subjectTokenType };
  if (requestedTokenType !== undefined) identity.requested_token_type = requestedTokenType;
  if (audience !== undefined) identity.audience = audience;
  if (actorTokenType !== undefined) identity.actor_token_type = actorTokenType;
  const staticActor = typeof actorToken === 'string' ? [actorToken] : [];

  const bind = (subject: Subject): BoundSubjectGrant => {
    const fromToken = subjectTokenExpiry(subject.token);
    const explicit = subject.expiresAt;
    const notAfter =
      explicit === undefined ? fromToken : fromToken === undefined ? explicit : Math.min(explicit, fromToken);
    return Object.freeze({
      notAfter,
      secrets: Object.freeze([subject.token, ...staticActor]),
      parameters: async (signal: AbortSignal) => {
        // Only the secrets: the public parameters (`identity`) are sent as the entry's own, never scrubbed.
        const params: Record<string, string> = { subject_token: subject.token };
        if (actorToken !== undefined) params.actor_token = await actorOf(actorToken, signal);
        return params;
      },
      checkResponse: (body: Readonly<Record<string, unknown>>) => checkIssuedTokenType(body, requestedTokenType),
    });
  };
  const rules = Object.freeze({ bind, derive: subjectToken, maxSubjects });
  return Object.freeze<SubjectGrant>({
    kind: 'subject-grant',
    grantType: TOKEN_EXCHANGE_GRANT,
    identity: Object.freeze(identity),
    scope,
    resource,
    attach: ({ clock, retire }) => new KeyedSubjectEntries(rules, clock, retire),
  });
}
