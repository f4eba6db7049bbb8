import axios, { type AxiosInstance } from 'axios';
import type { ResolvedOptions } from '../options/validate-options';
import { clientCredentials } from './client-credentials';
import { mainGrant, tokenHeaders } from './token-request';
import { startDeadline } from '../http/deadline';
import { raceSignal } from '../util/abort';
import type { Secrets } from '../security/secrets';
import { requestSecrets } from './request-secrets';
import { send, type ServerAnswer } from '../http/send';
import { serverTransport } from '../http/server-transport';

/**
 * A form POST to the authorization server (revocation, RFC 7009 §2.1; any endpoint that takes the
 * client authentication of the token request): `params`, plus the client authenticated as for the
 * token request (the method's parameters and headers, made anew: a fresh assertion). Sent like a
 * token request, through `send`: via `tokenHttpClient`, else a bare client with the attached
 * `instance`'s adapter, agents (a client certificate) and proxy; the same deadline (over the
 * credentials too), size cap and redirect refusal. Everything sent (credentials, assertion,
 * `params`' values) is added to `secrets`. Never rejects.
 */
export async function authenticatedPost(
  options: ResolvedOptions,
  instance: AxiosInstance,
  url: string,
  params: Record<string, string>,
  secrets: Secrets,
  /** The attachment's one client to the authorization server; a bare one made for this call otherwise. */
  client?: AxiosInstance,
): Promise<ServerAnswer> {
  secrets.merge(requestSecrets(options, mainGrant(options))).add(...Object.values(params));
  const transport = serverTransport(instance, options);
  const deadline = startDeadline(transport.timeoutMs);
  try {
    const credentials = await raceSignal(
      Promise.resolve(clientCredentials(options, deadline.signal, secrets)),
      deadline.signal,
    );
    // A form body whatever the token request's format (the `query` format's server gets one here too).
    const form = new URLSearchParams({ ...params, ...credentials.params });
    const headers = {
      ...tokenHeaders(options),
      ...credentials.headers,
      'Content-Type': 'application/x-www-form-urlencoded',
    };
    return await send(
      { method: 'POST', url, data: form.toString(), headers },
      {
        client: options.tokenHttpClient ?? client ?? axios.create(),
        transport,
        maxBytes: options.maxTokenResponseBytes,
        secrets,
        signal: deadline.signal, // one deadline over the credentials and the request
      },
    );
  } catch (error) {
    return { kind: 'unreachable', cause: secrets.safeCause(error), timedOut: deadline.expired };
  } finally {
    deadline.clear();
  }
}
