/**
 * Grants as values (`grant: tokenExchange({...})` from `axios-oauth2-bearer/token-exchange`) whose
 * token is for a subject chosen per request (RFC 8693 token exchange: a user's token exchanged for
 * a token to call the API). The core (token entries, the token request, the cache key, the request
 * side) sees such a grant through this file only: the grant keeps the subjects' entries (found,
 * checked, named by a keyed hash of the subject token, bounded), the core makes each entry's token
 * cache and asks the grant what to send and what to check.
 */

/** A subject as a request or a handle call names it. */
export interface Subject {
  /** The subject token (a secret: scrubbed everywhere, never a key). */
  readonly token: string;
  /** When the subject token expires, in epoch ms on the plugin's clock, when the caller knows it. */
  readonly expiresAt?: number;
}

/** What a token response must satisfy, as the grant judges it: the field at fault and why, or undefined. */
export type ResponseProblem = { readonly field: string; readonly message: string } | undefined;

/** A grant bound to one subject: what the core sends and checks for that subject's token entry. */
export interface BoundSubjectGrant {
  /**
   * The grant's secret parameters for one token request attempt (`subject_token`, `actor_token`),
   * computed anew for every attempt (an actor token function is read again). Every value is scrubbed
   * from what the attempt shows; the public ones (`identity`) are sent besides. `signal` aborts at the
   * attempt's deadline.
   */
  readonly parameters: (signal: AbortSignal) => Record<string, string> | Promise<Record<string, string>>;
  /** The latest epoch ms a token issued for this subject may be used: the subject token's expiry, when known. */
  readonly notAfter?: number;
  /** Secrets this subject brings (the subject token): scrubbed from every attempt's errors. */
  readonly secrets: readonly string[];
  /** Checks a 2xx token response body (e.g. `issued_token_type`); a problem fails it with `InvalidTokenResponseError`. */
  readonly checkResponse: (body: Readonly<Record<string, unknown>>) => ResponseProblem;
}

/** What a request (`config.oauth2`) or a handle call says of its subject. */
export interface SubjectOptions {
  readonly subjectToken?: unknown;
  readonly subjectTokenExpiresAt?: unknown;
}

/** Makes the token entry of one subject: the grant bound to it, and the keyed hash that names it. */
export type SubjectEntryFactory<T> = (binding: BoundSubjectGrant, subjectKey: string) => T;

/**
 * The subjects' token entries of one attachment, kept by the grant: how a subject is found (the
 * request's, or derived from its config), checked (a non-empty string, not expired), named (a keyed
 * hash, never the token) and bounded. `selection` is the key of the (scope, resource) the entry is
 * for. Every method throws `OAuth2RequestOptionsError` naming the option at fault; none makes a token call.
 */
export interface SubjectEntries<T> {
  /** The entry of the subject of a request (`oauth2.subjectToken`, else the grant's own way), made by `make` on first use. */
  forRequest(selection: string, config: { readonly oauth2?: SubjectOptions }, make: SubjectEntryFactory<T>): T;
  /**
   * The entry of a handle call's subject (`method.subjectToken`, required); without `make`, only an
   * entry already held (undefined otherwise: `invalidate` makes none).
   */
  forHandle(
    method: string,
    selection: string,
    options: SubjectOptions | undefined,
    make?: SubjectEntryFactory<T>,
  ): T | undefined;
  /** Every entry held now. */
  entries(): T[];
}

/** A grant whose tokens are per subject (see the file's comment). Immutable. */
export interface SubjectGrant {
  /** Marks the value for the core's shape check. */
  readonly kind: 'subject-grant';
  /** The `grant_type` sent, e.g. `urn:ietf:params:oauth:grant-type:token-exchange`. */
  readonly grantType: string;
  /**
   * Public parameters of every token request (`subject_token_type`, `requested_token_type`,
   * `audience`, `actor_token_type`): sent as they are, and counted in the cache key; never a secret.
   */
  readonly identity: Readonly<Record<string, string>>;
  /** Scopes of the tokens (the attachment's `scope` when it sets none). */
  readonly scope?: string;
  /** RFC 8707 resource of the tokens (the attachment's `resource` when it sets none). */
  readonly resource?: string;
  /**
   * Makes the subjects' entries of one attachment (its own random hashing key, its own bound).
   * `clock`: the plugin's; `retire`: called for an entry dropped (least recently used, or expired).
   */
  attach<T>(context: { readonly clock: () => number; readonly retire: (entry: T) => void }): SubjectEntries<T>;
}

/** Whether `value` has the shape of a {@link SubjectGrant} (the check the core makes on the `grant` option). */
export function isSubjectGrant(value: unknown): value is SubjectGrant {
  const grant = value as Partial<SubjectGrant> | null;
  return (
    typeof grant === 'object' &&
    grant !== null &&
    grant.kind === 'subject-grant' &&
    typeof grant.grantType === 'string' &&
    typeof grant.attach === 'function' &&
    typeof grant.identity === 'object'
  );
}
