import { TokenEndpointError } from '../errors';
import type { StoredFailure } from './token-store';

/**
 * Failures that answer the credentials (the client secret, the password) rather than the request.
 * The cache key holds no secret (so that it gives none away), so attachments that differ only in
 * their secret share a key: one with a stale secret must not make the others fail.
 */
const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set(['invalid_client', 'invalid_grant']);

function answersCredentials(error: TokenEndpointError): boolean {
  return error.error !== undefined ? CREDENTIAL_ERRORS.has(error.error) : error.status === 401;
}

/**
 * The shareable form of a permanent token-endpoint failure, or undefined when `error` is not one
 * (transient failures, lockouts and other errors stay in the process that saw them). A failure of the
 * credentials (`invalid_client`, `invalid_grant`, a bare 401) stays in the process too: the cache key
 * holds no secret, so another process sharing it may hold the right one. Only the error's public
 * fields are kept: its message is already free of secrets, its body and cause are not copied.
 */
export function toStoredFailure(error: unknown, until: number): StoredFailure | undefined {
  if (!(error instanceof TokenEndpointError) || error.transient || answersCredentials(error)) return undefined;
  const failure: StoredFailure = { until, message: error.message, attempts: error.attempts };
  if (error.error !== undefined) failure.error = error.error;
  if (error.errorDescription !== undefined) failure.errorDescription = error.errorDescription;
  if (error.errorUri !== undefined) failure.errorUri = error.errorUri;
  if (error.status !== undefined) failure.status = error.status;
  return failure;
}

/** The `TokenEndpointError` another process stored, with the same fields. */
export function fromStoredFailure(failure: StoredFailure): TokenEndpointError {
  const { message, error, errorDescription, errorUri, status, attempts } = failure;
  return new TokenEndpointError(message, { error, errorDescription, errorUri, status, transient: false, attempts });
}
