import type { ResolvedOptions } from '../options/validate-options';
import type { AttemptExtras, GrantParams } from './token-request';

/**
 * What this attempt of `grant` adds to its token request, computed anew for every attempt (retries
 * included): a custom grant's parameters, and a fresh client assertion. Both are loaded on first use
 * (a literal dynamic import, a separate chunk in the ESM build), so users of client secrets never
 * load them. Undefined when there is nothing to add. Rejects with `GrantParametersError` when a
 * custom grant's `parameters` fails.
 */
export async function attemptExtras(options: ResolvedOptions, grant: GrantParams): Promise<AttemptExtras | undefined> {
  const { grant: main, assertionSigner: signer } = options;
  const produce = main.type === 'custom' && grant.grant_type === main.grantType ? main.parameters : undefined;
  if (!produce && !signer) return undefined;
  const params = produce ? await (await import('./custom-parameters')).customParameters(produce, grant.grant_type) : {};
  const secrets = Object.values(params);
  if (signer) {
    const { signClientAssertion } = await import('../client-auth/client-assertion');
    const assertion = signClientAssertion(signer, {
      clientId: options.clientId,
      // The issuer (configured, and then the discovered metadata's too) when known, else the token URL.
      audience: options.issuer ?? (options.tokenUrl as string),
      now: options.clock(),
    });
    params.client_assertion = assertion;
    secrets.push(assertion);
  }
  return { params, secrets };
}
