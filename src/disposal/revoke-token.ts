import axios, { type AxiosInstance } from 'axios';
import { emit } from '../options/hooks';
import type { ResolvedOptions } from '../options/validate-options';
import { clientCredentials } from '../token/client-credentials';
import { startDeadline } from '../http/deadline';
import { raceSignal } from '../util/abort';
import { mainGrant, tokenHeaders } from '../token/token-request';
import { serverTransport } from '../http/server-transport';
import { send, tooLarge, type ServerAnswer } from '../http/send';
import { requestSecrets, type Secrets } from '../security/secrets';

/** An RFC 6749 §5.2 error code as a server may send it (anything else is not reported). */
const ERROR_CODE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/;

/** The `error` field of an error answer, when it looks like an error code and holds none of `secrets`. */
function errorCode(body: unknown, secrets: Secrets): string | undefined {
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
  return secrets.scrub(code) === code ? code : undefined;
}

/**
 * Revokes `accessToken` at `options.revocationUrl` (RFC 7009 §2.1: a form POST of `token` and
 * `token_type_hint=access_token`, the client authenticated as for the token request: the same
 * parameters and headers, a fresh assertion). Sent like a token request, through `send`: via
 * `tokenHttpClient`, else a bare client with the attached `instance`'s adapter, agents (a client
 * certificate) and proxy; the same deadline (`tokenRequestTimeoutMs`), size cap and redirect refusal.
 * Never throws: a refusal (any status but 200), a redirect, a transport failure or a missed deadline
 * is reported through `onRevocationFailed`, with no secret.
 *
 * Loaded on first use (`close()` with a `revocationUrl`), so the core entry does not carry it.
 */
export async function revokeToken(
  options: ResolvedOptions,
  accessToken: string,
  instance: AxiosInstance,
): Promise<boolean> {
  const url = options.revocationUrl as string;
  // Authenticated as the token request is (with the legacy `query` format, the server gets a form body here).
  const params = new URLSearchParams({ token: accessToken, token_type_hint: 'access_token' });
  const secrets = requestSecrets(options, mainGrant(options)).add(accessToken);
  const transport = serverTransport(instance, options);
  let answer: ServerAnswer;
  try {
    // The method's credentials for this request (a fresh assertion), bounded by the request's time-out.
    const deadline = startDeadline(transport.timeoutMs);
    const credentials = await raceSignal(
      Promise.resolve(clientCredentials(options, deadline.signal, secrets)),
      deadline.signal,
    ).finally(() => deadline.clear());
    for (const [name, value] of Object.entries(credentials.params ?? {})) params.set(name, value);
    const headers = {
      ...tokenHeaders(options),
      ...credentials.headers,
      'Content-Type': 'application/x-www-form-urlencoded',
    };
    // Sent like a token request, through the one path: the same transport (a client certificate
    // included), deadline and size cap, never redirected.
    answer = await send(
      { method: 'POST', url, data: params.toString(), headers },
      {
        client: options.tokenHttpClient ?? axios.create(),
        transport,
        maxBytes: options.maxTokenResponseBytes,
        secrets,
      },
    );
  } catch (error) {
    answer = { kind: 'unreachable', cause: secrets.safeCause(error), timedOut: false };
  }
  if (answer.kind === 'unreachable') {
    const code = (answer.cause as { code?: unknown }).code;
    const reason = answer.timedOut
      ? `no answer within ${transport.timeoutMs} ms`
      : typeof code === 'string' && ERROR_CODE.test(code)
        ? code
        : 'network error';
    emit(options.hooks, 'onRevocationFailed', {
      message: `the revocation endpoint could not be reached (${reason})`,
    });
    return false;
  }
  if (answer.status === 200) return true;
  const error = answer.kind === 'answer' && !tooLarge(answer.body) ? errorCode(answer.body, secrets) : undefined;
  emit(options.hooks, 'onRevocationFailed', {
    status: answer.status,
    ...(error === undefined ? {} : { error }),
    message: `the revocation endpoint answered HTTP ${answer.status}${error === undefined ? '' : ` (${error})`}`,
  });
  return false;
}
