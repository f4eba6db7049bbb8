import axios, { type AxiosInstance } from 'axios';
import { emit } from '../options/hooks';
import type { ResolvedOptions } from '../options/validate-options';
import { clientAssertion } from '../token/attempt-extras';
import { clientAuthParams, formEncode, grantSecrets, mainGrant, tokenHeaders } from '../token/token-request';
import { noRedirects, serverTransport } from '../token/server-transport';
import '../interceptors/request-options';

/** An RFC 6749 §5.2 error code as a server may send it (anything else is not reported). */
const ERROR_CODE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/;

/** The `error` field of an error answer, when it looks like an error code and holds none of `secrets`. */
function errorCode(body: unknown, secrets: readonly string[]): string | undefined {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const code = (value as { error?: unknown } | null)?.error;
  if (typeof code !== 'string' || !ERROR_CODE.test(code)) return undefined;
  // A server may echo what it was sent: the client secret, the Basic credentials, the token.
  return secrets.some((secret) => code.includes(secret)) ? undefined : code;
}

/**
 * Revokes `accessToken` at `options.revocationUrl` (RFC 7009 §2.1: a form POST of `token` and
 * `token_type_hint=access_token`, the client authenticated as for the token request: the same
 * parameters and headers, a fresh assertion). Sent like a token request: through `tokenHttpClient`, else a bare client
 * with the attached `instance`'s adapter, agents (a client certificate) and proxy. Never throws: a
 * refusal (any status but 200) or a transport failure is reported through `onRevocationFailed`,
 * with no secret.
 *
 * Loaded on first use (`close()` with a `revocationUrl`), so the core entry does not carry it.
 */
export async function revokeToken(
  options: ResolvedOptions,
  accessToken: string,
  instance: AxiosInstance,
): Promise<boolean> {
  const url = options.revocationUrl as string;
  // Authenticated as the token request is (the legacy `query` method's server gets a form body here).
  const params = new URLSearchParams({
    token: accessToken,
    token_type_hint: 'access_token',
    ...clientAuthParams(options),
  });
  const headers = { ...tokenHeaders(options), 'Content-Type': 'application/x-www-form-urlencoded' };
  const client = options.tokenHttpClient ?? axios.create();
  // Sent like a token request: the same transport (a client certificate included), never redirected.
  const { inherited, fetchOptions, timeoutMs } = serverTransport(instance, options);
  let assertion: string | undefined;
  try {
    assertion = await clientAssertion(options);
    if (assertion !== undefined) params.set('client_assertion', assertion);
    const response = await client.request({
      ...inherited,
      method: 'POST',
      url,
      data: params.toString(),
      headers,
      ...noRedirects(fetchOptions),
      timeout: timeoutMs,
      maxContentLength: options.maxTokenResponseBytes,
      responseType: 'text',
      validateStatus: () => true,
      oauth2: { skip: true },
    });
    if (response.status === 200) return true;
    const secrets = [...grantSecrets(options, mainGrant(options)), accessToken, formEncode(accessToken)];
    if (assertion !== undefined) secrets.push(assertion);
    const error = errorCode(response.data, secrets);
    emit(options.hooks, 'onRevocationFailed', {
      status: response.status,
      ...(error === undefined ? {} : { error }),
      message: `the revocation endpoint answered HTTP ${response.status}${error === undefined ? '' : ` (${error})`}`,
    });
  } catch (failure) {
    const code = (failure as { code?: unknown } | null)?.code;
    const reason = typeof code === 'string' && ERROR_CODE.test(code) ? code : 'network error';
    emit(options.hooks, 'onRevocationFailed', {
      message: `the revocation endpoint could not be reached (${reason})`,
    });
  }
  return false;
}
