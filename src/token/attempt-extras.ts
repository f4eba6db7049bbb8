import type { ResolvedOptions } from '../options/validate-options';
import type { AttemptExtras, GrantParams } from './token-request';
import { Secrets } from '../security/secrets';

/**
 * What this attempt of `grant` adds to its token request, computed anew for every attempt (retries
 * included): a custom grant's parameters, and a fresh client assertion. Both are loaded on first use
 * (a literal dynamic import, a separate chunk in the ESM build), so users of client secrets never
 * load them. Undefined when there is nothing to add. Rejects with `GrantParametersError` when a
 * custom grant's `parameters` fails. `signal`: the attempt's, handed to the user's function; every
 * value made is added to `secrets`, the attempt's list of what to scrub.
 */
export async function attemptExtras(
  options: ResolvedOptions,
  grant: GrantParams,
  signal: AbortSignal = new AbortController().signal,
  secrets: Secrets = new Secrets(),
): Promise<AttemptExtras | undefined> {
  const { grant: main, assertionSigner: signer } = options;
  const produce = main.type === 'custom' && grant.grant_type === main.grantType ? main.parameters : undefined;
  if (!produce && !signer) return undefined;
  const params = produce
    ? await (await import('./custom-parameters')).customParameters(produce, grant.grant_type, signal, secrets)
    : {};
  secrets.add(...Object.values(params));
  const assertion = await clientAssertion(options);
  secrets.add(assertion);
  if (assertion !== undefined) params.client_assertion = assertion;
  return { params };
}

/**
 * A new client assertion (new `jti`) for one request to the authorization server, signed by the
 * lazily loaded signer; undefined for the methods that use none. Its audience is the issuer when
 * known (configured, and then the discovered metadata's too), else the token URL.
 */
export async function clientAssertion(options: ResolvedOptions): Promise<string | undefined> {
  const signer = options.assertionSigner;
  if (!signer) return undefined;
  const { signClientAssertion } = await import('../client-auth/client-assertion');
  return signClientAssertion(signer, {
    clientId: options.clientId,
    audience: options.issuer ?? (options.tokenUrl as string),
    now: options.clock(),
  });
}
