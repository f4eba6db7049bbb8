import { AssertionSourceError, GrantParametersError } from '../errors';
import type { GrantParametersContext } from '../options/options';
import type { Secrets } from '../security/secrets';

/** Parameters a custom grant may not set: the plugin sends them itself. */
const RESERVED = ['grant_type', 'client_id', 'client_secret', 'client_assertion', 'client_assertion_type'];

/**
 * A custom grant's parameters for one attempt, checked (loaded on first use: only custom-grant users
 * pay for it). `signal`: the attempt's (its deadline, `detach()`), handed to the function. A failure
 * is a {@link GrantParametersError}.
 */
export async function customParameters(
  produce: (
    signal: AbortSignal,
    context: GrantParametersContext,
  ) => Record<string, string> | Promise<Record<string, string>>,
  grantType: string,
  signal: AbortSignal,
  secrets: Secrets,
  context: GrantParametersContext,
): Promise<Record<string, string>> {
  let value: unknown;
  try {
    value = await produce(signal, context);
  } catch (error) {
    // An assertion provider's own typed error (`jwtBearer(…)`): it names the source, never the assertion.
    if (error instanceof AssertionSourceError) throw error;
    // Only the error's name, message and code are kept (nothing the function's closure may hold),
    // scrubbed of what the request would carry (a vault client's error may quote the secret).
    throw new GrantParametersError(`grant.parameters() of the ${grantType} grant failed`, secrets.safeCause(error));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GrantParametersError(`grant.parameters() of the ${grantType} grant must return an object of strings`);
  }
  for (const [name, item] of Object.entries(value)) {
    if (typeof item !== 'string')
      throw new GrantParametersError(`grant.parameters() returned a non-string value for "${name}"`);
    if (RESERVED.includes(name))
      throw new GrantParametersError(`grant.parameters() may not set "${name}": the plugin sends it`);
  }
  return { ...(value as Record<string, string>) };
}
