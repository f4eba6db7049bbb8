import type { ResolvedOptions } from '../options/validate-options';
import type { AttemptExtras, GrantParams } from './token-request';
import { Secrets } from '../security/secrets';

/**
 * What this attempt of `grant` adds to its token request, computed anew for every attempt (retries
 * included): a custom grant's parameters, loaded on first use (a literal dynamic import, a separate
 * chunk in the ESM build). (The client's credentials, a fresh assertion included, are made per request
 * by the exchange, see `clientCredentials`.) Undefined when there is nothing to add. Rejects with
 * `GrantParametersError` when a custom grant's `parameters` fails. `signal`: the attempt's, handed to
 * the user's function; every value made is added to `secrets`, the attempt's list of what to scrub.
 */
export async function attemptExtras(
  options: ResolvedOptions,
  grant: GrantParams,
  signal: AbortSignal = new AbortController().signal,
  secrets: Secrets = new Secrets(),
): Promise<AttemptExtras | undefined> {
  const main = options.grant;
  const produce = main.type === 'custom' && grant.grant_type === main.grantType ? main.parameters : undefined;
  if (!produce) return undefined;
  const params = await (
    await import('./custom-parameters')
  ).customParameters(produce, grant.grant_type, signal, secrets, {
    audience: options.issuer ?? (options.tokenUrl as string),
    now: options.clock(),
  });
  secrets.add(...Object.values(params));
  return { params };
}
