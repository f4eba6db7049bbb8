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

/**
 * The options object of an assertion factory, checked now: nothing, or an object with `known` keys
 * only (a typo such as `audiance` would otherwise be ignored and sign the wrong claims).
 */
export function factoryOptions<T extends object>(factory: string, options: unknown, known: readonly string[]): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    refuse(`${factory}.options`, 'must be an object');
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) refuse(`${factory}.${key}`, `is not an option (known: ${known.join(', ')})`);
  }
  return options as T;
}
