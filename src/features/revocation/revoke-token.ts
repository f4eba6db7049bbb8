import { tooLarge } from '../../http/send';
import { Secrets } from '../../security/secrets';
import type { CloseContext } from '../../contracts/extension';

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
 * Revokes `accessToken` at `url` (RFC 7009 §2.1: a form POST of `token` and
 * `token_type_hint=access_token`, the client authenticated as for the token request), through the
 * attachment's one path to the authorization server (`context.authenticatedPost`). Never throws: a
 * refusal (any status but 200), a redirect, a transport failure or a missed deadline is reported
 * through `onRevocationFailed`, with no secret. Returns whether the token was revoked.
 */
export async function revokeToken(context: CloseContext, url: string, accessToken: string): Promise<boolean> {
  const secrets = new Secrets().add(accessToken);
  const answer = await context.authenticatedPost(url, { token: accessToken, token_type_hint: 'access_token' }, secrets);
  if (answer.kind === 'unreachable') {
    const code = (answer.cause as { code?: unknown }).code;
    const reason = answer.timedOut
      ? `no answer within ${context.timeoutMs} ms`
      : typeof code === 'string' && ERROR_CODE.test(code)
        ? code
        : 'network error';
    context.emit('onRevocationFailed', { message: `the revocation endpoint could not be reached (${reason})` });
    return false;
  }
  if (answer.status === 200) return true;
  const error = answer.kind === 'answer' && !tooLarge(answer.body) ? errorCode(answer.body, secrets) : undefined;
  context.emit('onRevocationFailed', {
    status: answer.status,
    ...(error === undefined ? {} : { error }),
    message: `the revocation endpoint answered HTTP ${answer.status}${error === undefined ? '' : ` (${error})`}`,
  });
  return false;
}
