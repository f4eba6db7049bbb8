/**
 * Drop-in: the official Mangopay Node SDK (`mangopay4-nodejs-sdk`) with its token handling done by
 * axios-oauth2-bearer (one token fetch shared by every concurrent call, renewal ahead of expiry,
 * refresh-and-replay on a rejected token, lockout-aware backoff). The SDK's own error handling is
 * untouched: it still reads `error.response.data` from its axios calls.
 *
 * In an application, import from 'axios-oauth2-bearer' instead of '../../src'.
 */
import MangoPay from 'mangopay4-nodejs-sdk';
import { attachOAuth2, mangopay, type OAuth2Handle, type OAuth2Options } from '../../src';

/** The SDK's configuration (its constructor's argument). */
export type MangopaySdkConfig = ConstructorParameters<typeof MangoPay>[0];

export interface MangopayClient {
  /** The SDK, used as usual: `sdk.Users.get(id)`, … */
  sdk: MangoPay;
  /** The plugin's handle: `getToken()`, `invalidate()`, `detach()`. */
  auth: OAuth2Handle;
}

/**
 * The axios object the SDK sends every request with: the default export of the axios copy the SDK
 * itself resolves (its own nested copy when it pins one), not necessarily the application's.
 */
export function sdkAxios(): Parameters<typeof attachOAuth2>[0] {
  const sdkEntry = require.resolve('mangopay4-nodejs-sdk');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's copy, found from the SDK's own location
  return require(require.resolve('axios', { paths: [sdkEntry] })) as Parameters<typeof attachOAuth2>[0];
}

/**
 * Creates the SDK and attaches the plugin to the axios copy it uses.
 *
 * The SDK sets its own `Authorization` header on every call, so the plugin is attached with
 * `authorizationHeader: 'replace'`: it overwrites that header with its bearer on the SDK's host.
 * The SDK also fetches a token itself whenever its header is missing or expired; a stand-in that
 * never expires keeps it from doing so (never sent: the plugin replaces it on every call).
 * Token requests go out with the SDK's per-request `httpsAgent` (its mTLS client certificate).
 *
 * `options` go to the plugin (e.g. `store`, `hooks`, `lockout`).
 */
export function createMangopayClient(
  config: MangopaySdkConfig,
  options: Partial<Omit<OAuth2Options, 'tokenUrl' | 'clientId' | 'clientSecret'>> = {},
): MangopayClient {
  const sdk = new MangoPay(config);
  const auth = attachOAuth2(
    sdkAxios(),
    mangopay({
      baseURL: sdk.config.baseUrl,
      clientId: config.clientId,
      apiKey: config.clientApiKey,
      authorizationHeader: 'replace',
      ...options,
    }),
  );
  sdk.requestOptions.headers.Authorization = 'Bearer (managed by axios-oauth2-bearer)';
  sdk.isExpired = () => false;
  return { sdk, auth };
}
