import axios, { type AxiosInstance } from 'axios';
import type { ResolvedOptions } from '../options/validate-options';
import { clientAssertion } from '../token/attempt-extras';
import { clientAuthParams, mainGrant, tokenHeaders } from '../token/token-request';
import { requestSecrets, type Secrets } from '../security/secrets';
import { send, type ServerAnswer } from './send';
import { serverTransport } from './server-transport';

/**
 * A form POST to the authorization server (revocation, RFC 7009 §2.1; any endpoint that takes the
 * client authentication of the token request): `params`, plus the client authenticated as for the
 * token request (the same parameters and headers, a fresh assertion). Sent like a token request,
 * through `send`: via `tokenHttpClient`, else a bare client with the attached `instance`'s adapter,
 * agents (a client certificate) and proxy; the same deadline, size cap and redirect refusal.
 * Everything sent (credentials, assertion, `params`' values) is added to `secrets`. Never rejects.
 */
export async function authenticatedPost(
  options: ResolvedOptions,
  instance: AxiosInstance,
  url: string,
  params: Record<string, string>,
  secrets: Secrets,
): Promise<ServerAnswer> {
  // The legacy `query` method's server gets a form body here.
  const form = new URLSearchParams({ ...params, ...clientAuthParams(options) });
  const headers = { ...tokenHeaders(options), 'Content-Type': 'application/x-www-form-urlencoded' };
  secrets.merge(requestSecrets(options, mainGrant(options))).add(...Object.values(params));
  try {
    const assertion = await clientAssertion(options);
    secrets.add(assertion);
    if (assertion !== undefined) form.set('client_assertion', assertion);
    return await send(
      { method: 'POST', url, data: form.toString(), headers },
      {
        client: options.tokenHttpClient ?? axios.create(),
        transport: serverTransport(instance, options),
        maxBytes: options.maxTokenResponseBytes,
        secrets,
      },
    );
  } catch (error) {
    return { kind: 'unreachable', cause: secrets.safeCause(error), timedOut: false };
  }
}
