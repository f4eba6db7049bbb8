import { OAuth2OptionsError } from '../../errors';
import type { TenantsOptions } from '../../options/tenant-types';
import { describe } from '../../util/describe';
import { MAX_TIMER_MS } from '../../util/timers';
import { didYouMean } from '../../util/suggest';

/** The options of `tenants()` with their defaults applied. */
export interface ResolvedTenants {
  readonly load: TenantsOptions['load'];
  readonly fromRequest?: TenantsOptions['fromRequest'];
  readonly maxTenants: number;
  readonly idleMs: number;
  readonly retryMs: number;
}

/** Keys of `tenants()`'s options. */
const TENANTS_KEYS: readonly string[] = ['load', 'fromRequest', 'maxTenants', 'idleMs', 'retryMs'];

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

/** `tenants()`'s options, checked (unknown keys, types, ranges). Throws {@link OAuth2OptionsError} naming `tenants.<field>`. */
export function resolveTenants(value: unknown): ResolvedTenants {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    refuse('tenants', 'an object such as { load: (tenant) => credentials }', value);
  for (const key of Object.keys(value))
    if (!TENANTS_KEYS.includes(key))
      throw new OAuth2OptionsError(
        `tenants.${key}`,
        `axios-oauth2-bearer: unknown option "tenants.${key}"${didYouMean(key, TENANTS_KEYS, 'tenants.')} (known: ${TENANTS_KEYS.join(', ')})`,
      );
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
