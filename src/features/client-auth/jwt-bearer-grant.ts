import type { CustomGrantOptions } from '../../options/options';
import { assertionAudience, factoryOptions } from './assertion-audience';
import { refuse } from './assertion-key';
import { providedAssertion, type AssertionProvider } from './provided-assertion';

/** `grant_type` of the JWT bearer authorization grant (RFC 7523 §2.1). */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Options of {@link jwtBearer}. */
export interface JwtBearerOptions {
  /**
   * The audience the provider is asked for, when the server wants another one than the plugin's.
   * @default the issuer of `discover(issuer)`, else the token URL
   */
  audience?: string;
  /** A name for the provider in error messages. @default 'provider' (a file provider names its file) */
  name?: string;
}

/**
 * The JWT bearer authorization grant (RFC 7523 §2.1) as the `grant` option: each token request
 * (every attempt, retries included) sends `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` and
 * `assertion`, the JWT `provider` gives (a function `({ audience, signal, now }) => string`, or
 * `assertionFile(path)` for a token file re-read on rotation). It rides on the custom grant: same
 * cache, single flight, replay and store. The assertion is scrubbed from every error and payload.
 *
 * Checked per request: a compact JWS with a numeric `exp` still ahead by the plugin's clock, else
 * `AssertionSourceError` (`malformed` / `expired` / `unavailable`), no token request sent, nothing
 * shown of the assertion. Checked now: `provider` is a function, the options known
 * (`OAuth2OptionsError` naming `jwtBearer.…`). The client still authenticates as configured (a
 * client secret, or `clientAssertion(…)`).
 *
 * @example
 * ```ts
 * import { attachOAuth2 } from 'axios-oauth2-bearer';
 * import { assertionFile, jwtBearer } from 'axios-oauth2-bearer/client-auth';
 *
 * attachOAuth2(api, {
 *   tokenUrl: 'https://login.example.com/oauth2/token',
 *   clientId: 'orders-service',
 *   clientSecret: process.env.CLIENT_SECRET!,
 *   grant: jwtBearer(assertionFile('/var/run/secrets/tokens/api')),
 * });
 * ```
 */
export function jwtBearer(provider: AssertionProvider, given?: JwtBearerOptions): CustomGrantOptions {
  const options = factoryOptions<JwtBearerOptions>('jwtBearer', given, ['audience', 'name']);
  if (typeof provider !== 'function') refuse('jwtBearer.provider', `must be a function, got ${typeof provider}`);
  if (options.name !== undefined && (typeof options.name !== 'string' || !/^\S+$/.test(options.name)))
    refuse('jwtBearer.name', 'must be a non-empty string without spaces');
  const source = options.name === undefined ? 'provider' : `provider ${options.name}`;
  const audienceOf = assertionAudience('jwtBearer', options.audience);
  return {
    type: 'custom',
    grantType: JWT_BEARER_GRANT_TYPE,
    parameters: async (signal, { audience, now }) => {
      const request = audienceOf({ clientId: '', audience, now, signal });
      return { assertion: await providedAssertion(provider, source, { audience: request.audience, signal, now }) };
    },
  };
}
