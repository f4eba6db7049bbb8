import { TokenEndpointError } from '../errors';
import type { StoredFailure } from './token-store';

/**
 * The shareable form of a permanent token-endpoint failure, or undefined when `error` is not one
 * (transient failures, lockouts and other errors stay in the process that saw them). Only the
 * error's public fields are kept: its message is already free of secrets, its body and cause are
 * not copied.
 */
export function toStoredFailure(error: unknown, until: number): StoredFailure | undefined {
  if (!(error instanceof TokenEndpointError) || error.transient) return undefined;
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
