import { AssertionSourceError } from '../../errors';
import { safeCause } from '../../security/redact';

/** What a provider is told when the plugin needs an assertion (for one token request). */
export interface AssertionRequest {
  /**
   * The audience the authorization server expects (its issuer identifier when known, else the token
   * endpoint URL; or the factory's `audience` option). A projected token file has its audience fixed
   * by the platform and ignores it; a cloud SDK or SPIFFE Workload API asks for a token for it.
   */
  readonly audience: string;
  /** Aborted at the token request attempt's deadline (`tokenRequestTimeoutMs`) or on `detach()`. */
  readonly signal: AbortSignal;
  /** Now, in epoch ms, by the attachment's clock (the `clock` option). */
  readonly now: number;
}

/**
 * Gives the assertion the plugin sends: a signed JWT (compact JWS) the platform issued to this
 * workload (a Kubernetes projected service-account token, a SPIFFE JWT-SVID, a cloud metadata token).
 * Called for each token request (every attempt, retries included), under the attempt's deadline:
 * honour `signal`. What it returns is scrubbed from every error and payload.
 */
export type AssertionProvider = (request: AssertionRequest) => string | Promise<string>;

/** A valid assertion and when it expires. */
export interface HeldAssertion {
  readonly assertion: string;
  /** Its `exp`, in epoch ms. */
  readonly expiresAt: number;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * `value` checked as a compact JWS (RFC 7515 §7.1: three non-empty base64url parts) whose payload is
 * a JSON object with a numeric `exp` (RFC 7523 §3), decoded, not verified (the authorization server
 * verifies it). Throws `AssertionSourceError` (`malformed`), which never shows the value.
 */
export function parseAssertion(value: unknown, source: string): HeldAssertion {
  const refuse = (why: string): never => {
    throw new AssertionSourceError('malformed', source, `The assertion from ${source} ${why}; not sent`);
  };
  if (typeof value !== 'string') return refuse(`is not a string (got ${value === null ? 'null' : typeof value})`);
  const parts = value.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part)))
    return refuse('is not a compact JWS (three base64url parts)');
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return refuse('has a payload that is not JSON');
  }
  const exp = (claims as { exp?: unknown } | null)?.exp;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return refuse('has no numeric exp claim (RFC 7523 §3)');
  return { assertion: value, expiresAt: exp * 1000 };
}

/** Throws `AssertionSourceError` (`expired`) when `held` expired by `now` (the plugin's clock). */
export function refuseExpired(held: HeldAssertion, now: number, source: string): void {
  if (held.expiresAt > now) return;
  const when = new Date(held.expiresAt).toISOString();
  throw new AssertionSourceError(
    'expired',
    source,
    `The assertion from ${source} expired at ${when} (${Math.round((now - held.expiresAt) / 1000)} s ago by the plugin's clock); not sent`,
    { expiredAt: held.expiresAt },
  );
}

/**
 * The assertion `provider` gives for `request`, checked: a compact JWS with an `exp` still ahead by
 * the plugin's clock. A provider that throws fails with `AssertionSourceError` (`unavailable`, its
 * error as a plain copy). (At the attempt's deadline or on `detach()` the exchange reports the time-out
 * or the cancellation, whatever the provider did.)
 */
export async function providedAssertion(
  provider: AssertionProvider,
  source: string,
  request: AssertionRequest,
): Promise<string> {
  let value: unknown;
  try {
    value = await provider(request);
  } catch (error) {
    if (error instanceof AssertionSourceError) throw error;
    throw new AssertionSourceError('unavailable', source, `The assertion from ${source} could not be obtained`, {
      cause: safeCause(error, []),
    });
  }
  const held = parseAssertion(value, source);
  refuseExpired(held, request.now, source);
  return held.assertion;
}
