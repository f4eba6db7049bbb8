import type { AxiosInstance } from 'axios';
import type { TenantFields, TenantsContext } from '../contracts/tenants';
import type { ResolvedOptions } from '../options/validate-options';
import { grantTypeOf, resolveClientAuth } from '../options/client-auth-option';
import { Cooldown } from '../policy/cooldown';
import { SafeStore } from '../store/safe-store';
import { cacheKey } from '../token/cache-key';
import { attemptTimeout } from '../http/server-transport';
import { EndpointExchange } from '../token/endpoint-exchange';
import { GrantRunner, type GrantOutcome } from '../token/grant-runner';
import { TokenCache } from '../token/token-cache';
import { TokenEntries } from '../token/token-entries';
import { checkedResource, normaliseScope } from '../token/token-selector';
import type { Lifecycle } from '../util/lifecycle';

/** The core's types, as the `tenants` feature works with them. */
export interface CoreTypes {
  cache: TokenCache;
  options: ResolvedOptions;
  outcome: GrantOutcome;
  cooldown: Cooldown;
}

/**
 * The options a tenant's {@link TenantFields} set: the feature lays them over the attachment's
 * options by prototype, so each must be an option (a field that is none fails to compile here).
 */
export type TenantFieldOptions = Pick<ResolvedOptions, keyof TenantFields>;

/** What the feature context shares with the rest of the attachment. */
export interface ContextWiring {
  lifecycle: Lifecycle;
  /** The attachment's one client to the authorization server. */
  serverClient: AxiosInstance;
  /** Whether the store is the attachment's own (the default memory store). */
  ownStore: boolean;
  /** The attachment's own tokens, if it has credentials of its own. */
  own: TokenEntries | undefined;
}

/**
 * The options of a cache made by `TokenEntries` (its selection and, with token exchange, its
 * subject: see `TokenEntries.build`) over other credentials' options `fresh`, by prototype.
 */
function rebase(entry: ResolvedOptions, fresh: ResolvedOptions): ResolvedOptions {
  if (!Object.hasOwn(entry, 'selection')) return fresh;
  const { scope, resource, selection } = entry;
  const overrides: Record<string, unknown> = { scope, resource, selection };
  if (entry.subjectKey !== undefined) {
    overrides.grant = entry.grant;
    overrides.tokenRequestParams = { ...fresh.tokenRequestParams, ...entry.subjectGrant?.identity };
    overrides.subjectBinding = entry.subjectBinding;
    overrides.subjectKey = entry.subjectKey;
  }
  const descriptors: PropertyDescriptorMap = {};
  for (const [key, value] of Object.entries(overrides)) descriptors[key] = { value, enumerable: true };
  return Object.freeze(Object.create(fresh, descriptors) as ResolvedOptions);
}

/**
 * The core's machinery handed to the `tenants` feature at attach (see `TenantsContext`): the
 * attachment's credential checks, and what makes token caches (their own store key, lockout
 * cool-down and grant runner), on the attachment's lifecycle and its one client to the server.
 */
export function tenantsContext(
  instance: AxiosInstance,
  resolved: ResolvedOptions,
  wiring: ContextWiring,
): TenantsContext<CoreTypes> {
  const { lifecycle, serverClient, ownStore, own } = wiring;
  return {
    clock: resolved.clock,
    // The token deadline: `tokenRequestTimeoutMs`, else the instance's `timeout`, else 30 s.
    timeoutMs: resolved.tokenRequestTimeoutMs ?? attemptTimeout(instance.defaults.timeout),
    lifecycle,
    rules: {
      clientAuth: (authentication, secret, clientId) =>
        resolveClientAuth(authentication, secret, {
          clientId,
          grantType: grantTypeOf(resolved.grant),
          tokenRequestFormat: resolved.tokenRequestFormat,
          instance,
          tokenHttpClient: resolved.tokenHttpClient,
          basicEncoding: resolved.basicEncoding,
        }),
      attachEndpoint: (source, clientAuthentication) =>
        source.attach({
          allowInsecureHttp: resolved.allowInsecureHttp,
          authMethod: resolved.tokenRequestFormat === 'query' ? undefined : clientAuthentication.method,
          mutualTls: clientAuthentication.mutualTls,
          clock: resolved.clock,
        }),
      allowInsecureHttp: resolved.allowInsecureHttp,
      scopeOk: (scope) => normaliseScope(scope) !== '',
      resource: (value) => checkedResource('resource', value),
      tokenRequestParams: resolved.tokenRequestParams,
    },
    base: resolved,
    own,
    exchanging: resolved.subjectGrant !== undefined,
    cacheKey,
    entries: (options, make) => new TokenEntries(options, make),
    cooldown: () => new Cooldown(resolved),
    runner: (options) => new GrantRunner(new EndpointExchange(instance, options, serverClient), options, lifecycle),
    cache(options, storeKey, lockoutKey, cooldown, runner) {
      const store = new SafeStore(
        resolved.store,
        storeKey,
        resolved.hooks,
        resolved.storeTimeoutMs,
        ownStore,
        lockoutKey,
      );
      return new TokenCache(options, runner, store, lifecycle, cooldown);
    },
    rebase,
  };
}
