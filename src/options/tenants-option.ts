import { OAuth2OptionsError } from '../errors';
import type { ClientAuth } from '../contracts/client-auth';
import { describe } from '../util/describe';
import { MAX_TIMER_MS } from '../util/timers';
import { checkKeys } from './option-keys';
import type { TenantsOptions } from './tenant-types';

/** The `tenants` option with its defaults applied. */
export interface ResolvedTenants {
  readonly load: TenantsOptions['load'];
  readonly fromRequest?: TenantsOptions['fromRequest'];
  readonly maxTenants: number;
  readonly idleMs: number;
  readonly retryMs: number;
}

/** Keys of `tenants`. */
const TENANTS_KEYS: readonly (keyof TenantsOptions)[] = ['load', 'fromRequest', 'maxTenants', 'idleMs', 'retryMs'];

/**
 * The client authentication of an attachment with `tenants` and no credentials of its own: never
 * used for a token request (a request without a tenant fails first), it only fills the slot.
 */
export const NO_OWN_CREDENTIALS: ClientAuth = Object.freeze({
  method: 'none',
  mutualTls: false,
  identity: Object.freeze(['none']),
  secrets: Object.freeze([]),
  credentials: () => ({}),
});

function refuse(option: string, expected: string, value: unknown): never {
  throw new OAuth2OptionsError(
    option,
    `axios-oauth2-bearer: option "${option}" must be ${expected}, got ${describe(value)}`,
  );
}

function whole(option: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    refuse(option, `an integer from ${min} to ${max}`, value);
  return value;
}

/** `tenants`, checked (unknown keys, types, ranges); undefined when not given. Throws {@link OAuth2OptionsError}. */
export function resolveTenants(value: unknown): ResolvedTenants | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    refuse('tenants', 'an object such as { load: (tenant) => credentials }', value);
  checkKeys('tenants', value, TENANTS_KEYS);
  const o = value as Record<string, unknown>;
  if (typeof o.load !== 'function') refuse('tenants.load', 'a function (tenant, { signal }) => credentials', o.load);
  if (o.fromRequest !== undefined && typeof o.fromRequest !== 'function')
    refuse('tenants.fromRequest', 'a function (config) => tenant', o.fromRequest);
  return Object.freeze({
    load: o.load as TenantsOptions['load'],
    fromRequest: o.fromRequest as TenantsOptions['fromRequest'],
    maxTenants: whole('tenants.maxTenants', o.maxTenants, 1000, 1, 10_000_000),
    idleMs: whole('tenants.idleMs', o.idleMs, 3_600_000, 1, MAX_TIMER_MS),
    retryMs: whole('tenants.retryMs', o.retryMs, 5_000, 0, MAX_TIMER_MS),
  });
}
