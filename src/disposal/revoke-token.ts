import axios from 'axios';
import { emit } from '../options/hooks';
import type { ResolvedOptions } from '../options/validate-options';
import { basicAuthorization, formEncode, grantSecrets, mainGrant } from '../token/token-request';
import { DEFAULT_TOKEN_TIMEOUT_MS } from '../token/endpoint-exchange';
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
 * `token_type_hint=access_token`, the client authenticated as for the token request: HTTP Basic, or
 * the credentials in the body for the other methods). Never throws: a refusal (any status but 200)
 * or a transport failure is reported through `onRevocationFailed`, with no secret.
 *
 * Loaded on first use (`close()` with a `revocationUrl`), so the core entry does not carry it.
 */
export async function revokeToken(options: ResolvedOptions, accessToken: string): Promise<boolean> {
  const url = options.revocationUrl as string;
  const params = new URLSearchParams({ token: accessToken, token_type_hint: 'access_token' });
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...options.tokenRequestHeaders,
    'Content-Type': 'application/x-www-form-urlencoded',
  };
  if (options.clientAuthentication === 'client_secret_basic') {
    headers.Authorization = basicAuthorization(options.clientId, options.clientSecret, options.basicEncoding);
  } else {
    params.set('client_id', options.clientId);
    params.set('client_secret', options.clientSecret);
  }
  const client = options.tokenHttpClient ?? axios.create();
  try {
    const response = await client.request({
      method: 'POST',
      url,
      data: params.toString(),
      headers,
      maxRedirects: 0,
      timeout: options.tokenRequestTimeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS,
      responseType: 'text',
      validateStatus: () => true,
      oauth2: { skip: true },
    });
    if (response.status === 200) return true;
    const secrets = [...grantSecrets(options, mainGrant(options)), accessToken, formEncode(accessToken)];
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
