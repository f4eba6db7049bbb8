import { OAuth2OptionsError } from '../../errors';
import { describe } from '../../util/describe';
import { isSecureEnough } from '../../util/url';
import type { CloseContext, Extension, ExtensionAttachContext } from '../../contracts/extension';
import { revokeToken } from './revoke-token';

/** Options of {@link revokeOnClose}. */
export interface RevokeOnCloseOptions {
  /**
   * The authorization server's RFC 7009 revocation endpoint: https, except on loopback hosts (or
   * with `allowInsecureHttp`).
   * @default the `revocation_endpoint` of the metadata, with `tokenUrl: discover(issuer)` (required with a `tokenUrl` string)
   */
  url?: string;
}

const OPTION = 'revokeOnClose.url';
const HTTP_RULE = 'http is allowed only on loopback hosts, or everywhere with allowInsecureHttp: true';

function refuse(message: string): never {
  throw new OAuth2OptionsError(OPTION, `axios-oauth2-bearer: option "${OPTION}" ${message}`);
}

/** `url`: an absolute http(s) URL (https is checked at attach time, against `allowInsecureHttp`). */
function checkedUrl(value: unknown): URL | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') refuse(`must be a non-empty string, got ${describe(value)}`);
  try {
    return new URL(value);
  } catch {
    return refuse(`must be an absolute URL, got ${describe(value)}`);
  }
}

/**
 * Revocation on close (RFC 7009): `handle.close()` (and `await using`) revokes, after detaching, the
 * access tokens this process alone holds (`token` + `token_type_hint=access_token`, the client
 * authenticated as for the token request, through the same path, deadline and size cap as a token
 * request). A token that may be shared is never revoked: none with a `store` option (a store you
 * pass is taken as shared), only with the in-memory store the plugin creates for itself; none with
 * `close({ revoke: false })`. A failed revocation is reported through `onRevocationFailed`, never thrown.
 *
 * @throws {OAuth2OptionsError} naming `revokeOnClose.url` when `url` is not an absolute URL (now), or
 * is plain http where https is required, or is missing with a `tokenUrl` string (at attach).
 * @example
 * import { revokeOnClose } from 'axios-oauth2-bearer/revocation';
 * const auth = attachOAuth2(api, { tokenUrl, clientId, clientSecret, extensions: [revokeOnClose({ url: revocationUrl })] });
 * await auth.close(); // detached, and the token revoked
 */
export function revokeOnClose(options: RevokeOnCloseOptions = {}): Extension {
  if (typeof options !== 'object' || options === null)
    throw new OAuth2OptionsError(
      'revokeOnClose',
      'axios-oauth2-bearer: revokeOnClose() takes an object such as { url }',
    );
  for (const key of Object.keys(options)) {
    if (key !== 'url')
      throw new OAuth2OptionsError(
        `revokeOnClose.${key}`,
        `axios-oauth2-bearer: unknown option "revokeOnClose.${key}"`,
      );
  }
  const url = checkedUrl(options.url);
  return Object.freeze({
    name: 'revokeOnClose',
    attach(attachment: ExtensionAttachContext) {
      if (url === undefined && !attachment.endpointSource)
        refuse('is required with a tokenUrl string (only discover(issuer) finds the revocation endpoint)');
      if (url !== undefined && !isSecureEnough(url, attachment.allowInsecureHttp))
        refuse(`must use https (${HTTP_RULE}), got ${url.protocol}//${url.host}`);
      return { onClose: (context: CloseContext) => revokeHeld(context, url?.toString()) };
    },
  });
}

/** Revokes every token of `context` at `url`, else at the discovered revocation endpoint. */
async function revokeHeld(context: CloseContext, url: string | undefined): Promise<void> {
  if (context.options.revoke === false || context.tokens.length === 0) return;
  const endpoint = url ?? context.endpoint?.revocationEndpoint;
  if (endpoint === undefined) {
    context.emit('onRevocationFailed', {
      message: "the authorization server's metadata names no usable revocation_endpoint",
    });
    return;
  }
  await Promise.all(context.tokens.map((token) => revokeToken(context, endpoint, token.accessToken)));
}
