import type { ClientAuthRequest } from '../../contracts/client-auth';
import { refuse } from './assertion-key';

/**
 * The `audience` option of an assertion method, checked now: undefined (the core's audience: the
 * discovered issuer, else the token URL) or a non-empty string without spaces, the `aud` of every
 * assertion (an authorization server that wants its issuer identifier while its token endpoint is
 * configured as a URL). Returns what turns the core's request into the one to sign.
 */
export function assertionAudience(
  factory: string,
  audience: unknown,
): (request: ClientAuthRequest) => ClientAuthRequest {
  if (audience === undefined) return (request) => request;
  if (typeof audience !== 'string' || !/^\S+$/.test(audience)) {
    refuse(`${factory}.audience`, 'must be a non-empty string without spaces (the issuer identifier)');
  }
  return (request) => ({ ...request, audience });
}
