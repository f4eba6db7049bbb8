import type { StoredFailure, StoredLockout, StoredToken } from '../store/token-store';
import { accessTokenDigest } from './fingerprint';

type Fields = Record<string, unknown>;

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optional = <T>(v: unknown, check: (v: unknown) => v is T): v is T | undefined => v === undefined || check(v);

function parseObject(text: string): Fields | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The JSON stored for a token: its known fields only, the refresh token included, so a rotated
 * refresh token is written in the same SET as its access token (one SET of one value is atomic),
 * and the access token's `digest` ({@link accessTokenDigest}), which compare-and-delete matches.
 */
export function encodeToken(token: StoredToken): string {
  const { accessToken, tokenType, obtainedAt, expiresAt, refreshToken, scope } = token;
  const digest = accessTokenDigest(accessToken);
  return JSON.stringify({ accessToken, tokenType, obtainedAt, expiresAt, refreshToken, scope, digest });
}

/** Reads a stored token back; undefined when the value is not a token this store wrote. */
export function decodeToken(text: string): StoredToken | undefined {
  const o = parseObject(text);
  if (!o || !isString(o.accessToken) || o.accessToken === '' || !isString(o.tokenType) || !isNumber(o.obtainedAt))
    return undefined;
  if (!optional(o.expiresAt, isNumber) || !optional(o.refreshToken, isString) || !optional(o.scope, isString))
    return undefined;
  const token: StoredToken = { accessToken: o.accessToken, tokenType: o.tokenType, obtainedAt: o.obtainedAt };
  if (o.expiresAt !== undefined) token.expiresAt = o.expiresAt;
  if (o.refreshToken !== undefined) token.refreshToken = o.refreshToken;
  if (o.scope !== undefined) token.scope = o.scope;
  return token;
}

/** The JSON stored for a lockout cool-down. */
export function encodeLockout(lockout: StoredLockout): string {
  const { until, consecutive, error, status } = lockout;
  return JSON.stringify({ until, consecutive, error, status });
}

/** Reads a stored lockout back; undefined when the value is not a lockout this store wrote. */
export function decodeLockout(text: string): StoredLockout | undefined {
  const o = parseObject(text);
  if (
    !o ||
    !isNumber(o.until) ||
    !isNumber(o.consecutive) ||
    !optional(o.error, isString) ||
    !optional(o.status, isNumber)
  )
    return undefined;
  const lockout: StoredLockout = { until: o.until, consecutive: o.consecutive };
  if (o.error !== undefined) lockout.error = o.error;
  if (o.status !== undefined) lockout.status = o.status;
  return lockout;
}

/** The JSON stored for a shared permanent failure: its public fields only. */
export function encodeFailure(failure: StoredFailure): string {
  const { until, message, error, errorDescription, errorUri, status, attempts } = failure;
  return JSON.stringify({ until, message, error, errorDescription, errorUri, status, attempts });
}

/** Reads a stored failure back; undefined when the value is not a failure this store wrote. */
export function decodeFailure(text: string): StoredFailure | undefined {
  const o = parseObject(text);
  if (!o || !isNumber(o.until) || !isString(o.message) || !isNumber(o.attempts)) return undefined;
  if (!optional(o.error, isString) || !optional(o.errorDescription, isString) || !optional(o.errorUri, isString))
    return undefined;
  if (!optional(o.status, isNumber)) return undefined;
  const failure: StoredFailure = { until: o.until, message: o.message, attempts: o.attempts };
  if (o.error !== undefined) failure.error = o.error;
  if (o.errorDescription !== undefined) failure.errorDescription = o.errorDescription;
  if (o.errorUri !== undefined) failure.errorUri = o.errorUri;
  if (o.status !== undefined) failure.status = o.status;
  return failure;
}
