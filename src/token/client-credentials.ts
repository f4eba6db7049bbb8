import type { ClientCredentials } from '../contracts/client-auth';
import type { ResolvedOptions } from '../options/validate-options';
import type { Secrets } from '../security/secrets';

/**
 * What the attachment's client-authentication method adds to one request to the authorization server
 * (a token request attempt, or a revocation), made anew for each: a fresh assertion per request. The
 * audience of an assertion is the issuer when known (configured), else the token URL. Whatever the
 * method made for this request is added to `secrets`, the request's list of what to scrub.
 * Synchronous for the shared-secret methods (no extra microtask); a promise for a method that signs or
 * fetches, which must settle before `signal` aborts.
 */
export function clientCredentials(
  options: Pick<ResolvedOptions, 'clientAuthentication' | 'clientId' | 'issuer' | 'tokenUrl' | 'clock'>,
  signal: AbortSignal,
  secrets: Secrets,
): ClientCredentials | Promise<ClientCredentials> {
  const made = options.clientAuthentication.credentials({
    clientId: options.clientId,
    audience: options.issuer ?? (options.tokenUrl as string),
    now: options.clock(),
    signal,
  });
  const note = (credentials: ClientCredentials): ClientCredentials => {
    if (credentials.secrets) secrets.add(...credentials.secrets);
    return credentials;
  };
  const thenable = typeof (made as { then?: unknown }).then === 'function';
  return thenable ? Promise.resolve(made).then(note) : note(made as ClientCredentials);
}
