import { OAuth2OptionsError } from '../errors';
import type { ApiOrigin, GrantOptions, LockoutOptions, OAuth2Options, RejectionOptions, RetryOptions } from './options';
import type { MangopayPresetOptions, MusementPresetOptions, Preset } from './presets';
import { didYouMean } from '../util/suggest';

/**
 * One entry per key of `T`, optional ones included. Written as an object literal, it fails to compile
 * when `T` gains a key the literal lacks (missing property) or the literal names a key `T` lacks
 * (excess property): the key lists below cannot drift from the option types.
 */
type KeyRegistry<T> = { readonly [K in keyof Required<T>]: true };

function keysOf<T>(registry: KeyRegistry<T>): readonly (keyof T & string)[] {
  return Object.keys(registry) as (keyof T & string)[];
}

/** Every key of {@link OAuth2Options}; any other key given to `attachOAuth2` is an unknown option. */
export const OPTION_KEYS = keysOf<OAuth2Options>({
  tokenUrl: true,
  clientId: true,
  clientSecret: true,
  scope: true,
  resource: true,
  grant: true,
  clientAuthentication: true,
  defaultTokenLifetimeSeconds: true,
  basicEncoding: true,
  acceptTokenTypes: true,
  senderConstraint: true,
  tokenRequestFormat: true,
  tokenRequestHeaders: true,
  tokenRequestParams: true,
  apiOrigins: true,
  maxCachedTokens: true,
  refreshSkewSeconds: true,
  backgroundRefresh: true,
  store: true,
  tokenHttpClient: true,
  tokenRequestTimeoutMs: true,
  maxTokenResponseBytes: true,
  allowInsecureHttp: true,
  isTokenRejected: true,
  authorizationHeader: true,
  retry: true,
  lockout: true,
  rejection: true,
  storeTimeoutMs: true,
  failureCacheMs: true,
  hooks: true,
  extensions: true,
  clock: true,
  random: true,
  tenants: true,
});

/** Keys a {@link Preset} adds for `axios.create` (not options of the plugin): accepted and ignored by `attachOAuth2`. */
export const PRESET_KEYS = keysOf<Omit<Preset, keyof OAuth2Options>>({ baseURL: true, headers: true });

/** Keys of `mangopay(options)`: the plugin's options but `tokenUrl` and `clientSecret` (`apiKey` instead), and its own. */
export const MANGOPAY_KEYS: readonly string[] = [
  ...OPTION_KEYS.filter((key) => key !== 'tokenUrl' && key !== 'clientSecret'),
  ...keysOf<Omit<MangopayPresetOptions, keyof OAuth2Options>>({
    environment: true,
    apiKey: true,
    baseURL: true,
    origin: true,
  }),
];

/** Keys of `musement(options)`: the plugin's options but `tokenUrl`, and its own. */
export const MUSEMENT_KEYS: readonly string[] = [
  ...OPTION_KEYS.filter((key) => key !== 'tokenUrl'),
  ...keysOf<Omit<MusementPresetOptions, keyof OAuth2Options>>({
    environment: true,
    application: true,
    legacyLogin: true,
    baseURL: true,
  }),
];

/** Throws `OAuth2OptionsError` for the first key of a preset's `options` not in `known`, with the nearest known key. */
export function checkPresetKeys(preset: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null) return; // the required options then name the problem
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      throw new OAuth2OptionsError(
        key,
        `axios-oauth2-bearer: unknown option "${key}" of ${preset}()${didYouMean(key, known)}`,
      );
  }
}

/** Keys of an `apiOrigins` entry given as an object. */
export const API_ORIGIN_KEYS = keysOf<ApiOrigin>({ origin: true, scope: true, resource: true });

/** Keys of `retry`. */
export const RETRY_KEYS = keysOf<RetryOptions>({ retries: true, baseDelayMs: true, maxDelayMs: true });

/** Keys of `lockout`. */
export const LOCKOUT_KEYS = keysOf<LockoutOptions>({
  initialCooldownMs: true,
  maxCooldownMs: true,
  maxRetryAfterMs: true,
  whileLocked: true,
});

/** Keys of `rejection`. */
export const REJECTION_KEYS = keysOf<RejectionOptions>({
  windowMs: true,
  initialCooldownMs: true,
  maxCooldownMs: true,
});

/** Keys of `grant`, per grant type. */
export const GRANT_KEYS = {
  client_credentials: keysOf<Extract<GrantOptions, { type: 'client_credentials' }>>({ type: true }),
  password: keysOf<Extract<GrantOptions, { type: 'password' }>>({ type: true, username: true, password: true }),
  custom: keysOf<Extract<GrantOptions, { type: 'custom' }>>({ type: true, grantType: true, parameters: true }),
} satisfies { readonly [T in GrantOptions['type']]: readonly string[] };

/**
 * Throws `OAuth2OptionsError` naming the first key of `value` (the option `option`) not in `known`: a
 * typo is an error, and the message suggests the nearest known key.
 */
export function checkKeys(option: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      throw new OAuth2OptionsError(
        `${option}.${key}`,
        `axios-oauth2-bearer: unknown option "${option}.${key}"${didYouMean(key, known, `${option}.`)}`,
      );
  }
}
