import type { TenantCore, TenantsContext } from '../../contracts/tenants';
import { ReaskingRunner } from './reasking-runner';
import { overlay, tenantCacheKey } from './tenant-options';
import type { TenantCacheFactory } from './tenant-state';

const secretsOf = (options: TenantCore['options']): string => JSON.stringify(options.clientAuthentication.secrets);

/**
 * The one factory of every tenant's token caches of an attachment (the core's, given in `context`):
 * each with its own store key (bound to the tenant), its tenant's lockout cool-down (shared by its
 * scopes and resources, under its own key), failure cache and rejection breaker, and a grant runner
 * that asks the loader again (`reask`) after `invalid_client`.
 */
export function tenantCaches<T extends TenantCore>(
  context: TenantsContext<T>,
  reask: (tenant: string) => Promise<T['options'] | undefined>,
): TenantCacheFactory<T> {
  const factory: TenantCacheFactory<T> = {
    async reload(entryOptions) {
      const fresh = await reask(entryOptions.tenant as string);
      // Nothing new (or another client: its token would be another key's): the failure stands.
      if (!fresh || fresh.clientId !== entryOptions.clientId || secretsOf(fresh) === secretsOf(entryOptions))
        return undefined;
      // The same issuer and method: the tenant's resolver (its discovery done) serves the fresh credentials too.
      const sameEndpoint =
        fresh.endpoint !== undefined &&
        fresh.issuer === entryOptions.issuer &&
        fresh.clientAuthentication.method === entryOptions.clientAuthentication.method;
      const base = sameEndpoint ? overlay(fresh, { endpoint: entryOptions.endpoint }) : fresh;
      return context.runner(context.rebase(entryOptions, base));
    },
    exchanging: context.exchanging,
    entries: (options, make) => context.entries(options, make),
    runner: (options) => context.runner(options),
    cache(entryOptions, state) {
      const key = tenantCacheKey(entryOptions.tenant, context.cacheKey(entryOptions));
      const own = entryOptions === state.options;
      if (own) state.lockoutKey = key;
      // The tenant's own token: its state is the runner; a selection's: a runner of its own.
      const runner = own ? state : new ReaskingRunner(context.runner(entryOptions), entryOptions, factory);
      return context.cache(entryOptions, key, state.lockoutKey || key, state.cooldown, runner);
    },
  };
  return factory;
}
