import { GrantParametersError } from '../errors';
import { safeCause } from '../security/redact';
import type { ResolvedOptions } from '../options/validate-options';
import { RESERVED_GRANT_PARAMETERS } from '../client-auth/auth-options';
import type { AttemptExtras, GrantParams } from './token-request';

/** A custom grant's parameters for one attempt, checked; a failure is a {@link GrantParametersError}. */
async function customParameters(
  produce: () => Record<string, string> | Promise<Record<string, string>>,
  grantType: string,
): Promise<Record<string, string>> {
  let value: unknown;
  try {
    value = await produce();
  } catch (error) {
    // Only the error's name, message and code are kept: nothing the function's closure may hold.
    throw new GrantParametersError(`grant.parameters() of the ${grantType} grant failed`, safeCause(error, []));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GrantParametersError(`grant.parameters() of the ${grantType} grant must return an object of strings`);
  }
  for (const [name, item] of Object.entries(value)) {
    if (typeof item !== 'string')
      throw new GrantParametersError(`grant.parameters() returned a non-string value for "${name}"`);
    if (RESERVED_GRANT_PARAMETERS.includes(name))
      throw new GrantParametersError(`grant.parameters() may not set "${name}": the plugin sends it`);
  }
  return value as Record<string, string>;
}

/**
 * What this attempt of `grant` adds to its token request, computed anew for every attempt (retries
 * included): a custom grant's parameters, and a fresh client assertion (the signing code is loaded
 * on first use, so users of client secrets never load it). Undefined when there is nothing to add.
 * Rejects with {@link GrantParametersError} when a custom grant's `parameters` fails.
 */
export async function attemptExtras(options: ResolvedOptions, grant: GrantParams): Promise<AttemptExtras | undefined> {
  const custom = options.grant.type === 'custom' && grant.grant_type === options.grant.grantType;
  const produce = custom && options.grant.type === 'custom' ? options.grant.parameters : undefined;
  const signer = options.assertionSigner;
  if (!produce && !signer) return undefined;
  const params: Record<string, string> = produce ? { ...(await customParameters(produce, grant.grant_type)) } : {};
  const secrets = Object.values(params);
  if (signer) {
    const { signClientAssertion } = await import('../client-auth/client-assertion');
    const issuer = (options as { issuer?: unknown }).issuer;
    const assertion = signClientAssertion(signer, {
      clientId: options.clientId,
      audience: typeof issuer === 'string' ? issuer : options.tokenUrl,
      now: options.clock(),
    });
    params.client_assertion = assertion;
    secrets.push(assertion);
  }
  return { params, secrets };
}
