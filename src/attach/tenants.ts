import type { AxiosInstance } from 'axios';
import type { ResolvedOptions } from '../options/validate-options';
import { Cooldown } from '../policy/cooldown';
import { SafeStore } from '../store/safe-store';
import { DEFAULT_TOKEN_TIMEOUT_MS, EndpointExchange } from '../token/endpoint-exchange';
import { GrantRunner } from '../token/grant-runner';
import { TenantEntries } from '../token/tenants/tenant-entries';
import { TenantGrantRunner, type CredentialsReload } from '../token/tenants/tenant-grant-runner';
import {
  deriveOptions,
  tenantCacheKey,
  tenantOptions,
  tenantRules,
  tenantTemplate,
} from '../token/tenants/tenant-options';
import { TenantState, type TenantCacheFactory } from '../token/tenants/tenant-state';
import { TokenCache } from '../token/token-cache';
import type { TokenEntries } from '../token/token-entries';
import { MAX_TIMER_MS } from '../util/timers';
import type { Lifecycle } from '../util/lifecycle';

/** What the tenants share with the rest of the attachment. */
export interface TenantWiring {
  lifecycle: Lifecycle;
  /** The attachment's one client to the authorization server. */
  serverClient: AxiosInstance;
  /** Whether the store is the attachment's own (the default memory store). */
  ownStore: boolean;
}

/** The loader's deadline: the token deadline (`tokenRequestTimeoutMs`, else the instance's `timeout`, else 30 s). */
function loadTimeout(resolved: ResolvedOptions, instance: AxiosInstance): number {
  if (resolved.tokenRequestTimeoutMs !== undefined) return resolved.tokenRequestTimeoutMs;
  const ms = Number(instance.defaults.timeout);
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_TIMER_MS) : DEFAULT_TOKEN_TIMEOUT_MS;
}

/**
 * What an entry's options set over its tenant's (see `TokenEntries.build`): its selection, and with
 * token exchange its subject (the grant bound to it; the grant's public parameters over `fresh`'s).
 */
function entryOverrides(
  entry: ResolvedOptions,
  fresh: ResolvedOptions,
): { -readonly [K in keyof ResolvedOptions]?: ResolvedOptions[K] } {
  const { scope, resource, selection } = entry;
  if (entry.subjectKey === undefined) return { scope, resource, selection };
  const identity = entry.subjectGrant?.identity;
  return {
    scope,
    resource,
    selection,
    grant: entry.grant,
    tokenRequestParams: { ...fresh.tokenRequestParams, ...identity },
    subjectBinding: entry.subjectBinding,
    subjectKey: entry.subjectKey,
  };
}

const secretsOf = (options: ResolvedOptions): string => JSON.stringify(options.clientAuthentication.secrets);

/**
 * Many tenants: the composition of the tenants layer, one per attachment with `tenants`. Every
 * tenant's token cache is made by one shared factory: its own store key (bound to the tenant), its
 * own lockout cool-down (shared by its scopes and resources, under its own key), failure cache and
 * rejection breaker; the attachment's lifecycle and its one client to the server.
 */
export function createTenants(
  instance: AxiosInstance,
  resolved: ResolvedOptions,
  own: TokenEntries | undefined,
  wiring: TenantWiring,
): TenantEntries {
  const { lifecycle, serverClient, ownStore } = wiring;
  const feature = resolved.tenants as NonNullable<ResolvedOptions['tenants']>;
  const reload: CredentialsReload = {
    async reload(entryOptions) {
      const fresh = await directory.reask(entryOptions.tenant as string);
      // Nothing new (or another client: its token would be another key's): the failure stands.
      if (!fresh || fresh.clientId !== entryOptions.clientId || secretsOf(fresh) === secretsOf(entryOptions))
        return undefined;
      const overrides = Object.hasOwn(entryOptions, 'selection') ? entryOverrides(entryOptions, fresh) : {};
      // The same issuer and method: the tenant's resolver (its discovery done) serves the fresh credentials too.
      if (
        fresh.endpoint !== undefined &&
        fresh.issuer === entryOptions.issuer &&
        fresh.clientAuthentication.method === entryOptions.clientAuthentication.method
      )
        overrides.endpoint = entryOptions.endpoint;
      const options = Object.keys(overrides).length > 0 ? deriveOptions(fresh, overrides) : fresh;
      return new GrantRunner(new EndpointExchange(instance, options, serverClient), options, lifecycle);
    },
  };
  const factory: TenantCacheFactory = {
    cache(entryOptions, state) {
      const key = tenantCacheKey(entryOptions);
      if (entryOptions === state.options) state.lockoutKey = key;
      const store = new SafeStore(
        resolved.store,
        key,
        resolved.hooks,
        resolved.storeTimeoutMs,
        ownStore,
        state.lockoutKey || key,
      );
      const exchange = new EndpointExchange(instance, entryOptions, serverClient);
      const fetcher = new TenantGrantRunner(exchange, entryOptions, lifecycle, reload);
      return new TokenCache(entryOptions, fetcher, store, lifecycle, state.cooldown);
    },
  };
  const template = tenantTemplate(resolved);
  const directory = feature.attach<TenantState, ResolvedOptions>({
    clock: resolved.clock,
    timeoutMs: loadTimeout(resolved, instance),
    lifecycle,
    rules: tenantRules(resolved, instance),
    options: (fields) => tenantOptions(template, fields),
    make: (options) => new TenantState(options, new Cooldown(resolved), factory),
  });
  return new TenantEntries(own, directory, resolved.subjectGrant !== undefined);
}
