import { InvalidTokenResponseError } from '../errors';
import type { StoredToken } from '../store/token-store';
import { scrub, scrubDeep } from '../security/redact';
import { describe } from '../util/describe';
import { jwtExpiresAt } from './jwt-expiry';

/** Lifetime assumed for a token with neither `expires_in` nor a JWT `exp`: 10 minutes (`defaultTokenLifetimeSeconds`). */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 600;

/** How a failed token response is handled. */
export type FailureKind = 'permanent' | 'transient' | 'lockout';

/** A token request that did not yield a token, from its HTTP status and RFC 6749 §5.2 body. */
export interface TokenFailure {
  kind: FailureKind;
  status?: number;
  error?: string;
  errorDescription?: string;
  errorUri?: string;
  /** The server's `Retry-After` header, raw. */
  retryAfter?: unknown;
  /** The parsed error body (error bodies hold no token). */
  body?: unknown;
  /** The response's status text, when it came over HTTP. */
  statusText?: string;
  /** The response's headers, credential headers left out (see `safeHeaders`). */
  headers?: Record<string, string>;
}

type Body = Record<string, unknown>;

/** The `token_type` accepted by default (RFC 6750). */
const BEARER_ONLY: ReadonlySet<string> = new Set(['bearer']);

function parseBody(data: unknown): Body | string | undefined {
  if (typeof data !== 'string') {
    if (data === undefined || data === null) return undefined;
    // An adapter that parsed JSON itself: only a plain object is a token response; anything else counts as a non-object body.
    return typeof data === 'object' && !Array.isArray(data) ? (data as Body) : (JSON.stringify(data) ?? typeof data);
  }
  const text = data.trim();
  if (text === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Body) : text;
  } catch {
    return text;
  }
}

/** Pure: which failure kind a status and `error` code mean. Lockouts and rate limits first. */
export function classifyFailure(status: number | undefined, error: string | undefined): FailureKind {
  if (error === 'unauthorized_client' || status === 423 || status === 429) return 'lockout';
  if (status === undefined || status === 408 || status >= 500) return 'transient';
  // RFC 6749 §4.1.2.1 codes that some token endpoints also send, whatever the status.
  if (error === 'temporarily_unavailable' || error === 'server_error') return 'transient';
  return 'permanent';
}

function failureFrom(status: number, body: Body | string | undefined, retryAfter: unknown): TokenFailure {
  const fields = typeof body === 'object' ? body : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const error = str(fields.error);
  return {
    kind: classifyFailure(status, error),
    status,
    error,
    errorDescription: str(fields.error_description),
    errorUri: str(fields.error_uri),
    retryAfter,
    body: typeof body === 'object' ? { ...body } : undefined,
  };
}

const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token'];

/**
 * The error for a 2xx that is not a valid token response. The body, kept for diagnostics, has its
 * token fields masked, and their values are scrubbed from every other string and from the message.
 */
function invalid(field: string, message: string, status: number, body?: Body): InvalidTokenResponseError {
  const tokens = TOKEN_FIELDS.map((key) => body?.[key]).filter(
    (v): v is string => typeof v === 'string' && v.length >= 4,
  );
  let shown: Body | undefined;
  if (body) {
    shown = scrubDeep(body, tokens);
    for (const key of TOKEN_FIELDS) if (key in shown) shown[key] = '[redacted]';
  }
  return new InvalidTokenResponseError(field, scrub(`Invalid token response: ${message}`, tokens), {
    status,
    body: shown,
  });
}

function parseExpiresIn(value: unknown, status: number, body: Body): number | undefined {
  if (value === undefined || value === null) return undefined;
  const seconds = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    const shown = typeof value === 'string' ? `string ${JSON.stringify(value.slice(0, 40))}` : describe(value);
    throw invalid(
      'expires_in',
      `"expires_in" must be a non-negative number or numeric string, got ${shown}`,
      status,
      body,
    );
  }
  return seconds;
}

/**
 * Turns a token-endpoint response into a token (RFC 6749 §5.1) or a failure (§5.2).
 * A 2xx that is not a valid token response throws {@link InvalidTokenResponseError} naming the field.
 * `sentAt` is when the request was sent: `expires_in` counts from then. `acceptTokenTypes` holds the
 * accepted `token_type` values, lower-cased (the token is sent as `Bearer` whichever it is).
 * Without `expires_in`, the token expires at its own JWT `exp` when it is a JWT with one (see
 * {@link jwtExpiresAt}), else `defaultLifetimeMs` after `sentAt`; never "until rejected".
 */
export function parseTokenResponse(
  status: number,
  data: unknown,
  headers: { contentType?: string; retryAfter?: unknown },
  sentAt: number,
  acceptTokenTypes: ReadonlySet<string> = BEARER_ONLY,
  defaultLifetimeMs: number = DEFAULT_TOKEN_LIFETIME_SECONDS * 1000,
  /** A grant's own check of a 2xx body (token exchange: `issued_token_type`); a problem throws like any invalid field. */
  check?: (body: Body) => { field: string; message: string } | undefined,
): { token: StoredToken } | { failure: TokenFailure } {
  const body = parseBody(data);
  if (status < 200 || status >= 300) return { failure: failureFrom(status, body, headers.retryAfter) };
  if (typeof body !== 'object') {
    const what = body === undefined ? 'an empty body' : `content-type ${headers.contentType ?? 'unknown'}`;
    throw invalid('body', `expected a JSON object, got ${what}`, status);
  }
  if (body.access_token === undefined && typeof body.error === 'string') {
    return { failure: failureFrom(status, body, headers.retryAfter) }; // a 2xx carrying an error body
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw invalid(
      'access_token',
      `"access_token" must be a non-empty string, got ${describe(body.access_token, false)}`,
      status,
      body,
    );
  }
  if (typeof body.token_type !== 'string' || !acceptTokenTypes.has(body.token_type.toLowerCase())) {
    const shown = typeof body.token_type === 'string' ? `"${body.token_type.slice(0, 20)}"` : describe(body.token_type);
    const allowed = [...acceptTokenTypes].map((t) => `"${t}"`).join(' or ');
    throw invalid(
      'token_type',
      `"token_type" must be ${allowed} (any case; see the acceptTokenTypes option), got ${shown}`,
      status,
      body,
    );
  }
  const expiresIn = parseExpiresIn(body.expires_in, status, body);
  if (body.refresh_token !== undefined && body.refresh_token !== null && typeof body.refresh_token !== 'string') {
    throw invalid(
      'refresh_token',
      `"refresh_token" must be a string, got ${describe(body.refresh_token, false)}`,
      status,
      body,
    );
  }
  const problem = check?.(body);
  if (problem) throw invalid(problem.field, problem.message, status, body);
  return {
    token: {
      accessToken: body.access_token,
      tokenType: body.token_type,
      obtainedAt: sentAt,
      // Whole epoch ms, rounded down (a fractional `expires_in` or JWT `exp` expires a little early).
      expiresAt: Math.floor(
        expiresIn !== undefined
          ? sentAt + expiresIn * 1000
          : (jwtExpiresAt(body.access_token, sentAt) ?? sentAt + defaultLifetimeMs),
      ),
      refreshToken:
        typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : undefined,
      scope: typeof body.scope === 'string' ? body.scope : undefined,
    },
  };
}
