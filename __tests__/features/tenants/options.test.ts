/** tenants() checks its options when called; attachOAuth2 takes only its value for `tenants`. */
import axios from 'axios';
import { attachOAuth2, OAuth2OptionsError } from '../../../src';
import { tenants, type TenantsOptions } from '../../../src/features/tenants';

const load: TenantsOptions['load'] = () => ({ clientId: 'c', clientSecret: 's' });

function optionOf(make: () => unknown): string | undefined {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(OAuth2OptionsError);
    return (error as OAuth2OptionsError).option;
  }
  return undefined;
}

test.each<[string, string, unknown]>([
  ['no options', 'tenants', undefined],
  ['an array', 'tenants', [load]],
  ['no load', 'tenants.load', {}],
  ['a load that is not a function', 'tenants.load', { load: 'secrets/acme' }],
  ['a fromRequest that is not a function', 'tenants.fromRequest', { load, fromRequest: 'x-tenant' }],
  ['maxTenants 0', 'tenants.maxTenants', { load, maxTenants: 0 }],
  ['a fractional maxTenants', 'tenants.maxTenants', { load, maxTenants: 1.5 }],
  ['idleMs 0', 'tenants.idleMs', { load, idleMs: 0 }],
  ['a negative retryMs', 'tenants.retryMs', { load, retryMs: -1 }],
  ['an unknown key', 'tenants.maxTenant', { load, maxTenant: 10 }],
])('%s: OAuth2OptionsError naming %s, thrown by tenants()', (_, option, options) => {
  expect(optionOf(() => tenants(options as TenantsOptions))).toBe(option);
});

test('an unknown key names the nearest known one', () => {
  expect(() => tenants({ load, maxTenant: 10 } as TenantsOptions)).toThrow(
    'axios-oauth2-bearer: unknown option "tenants.maxTenant"; did you mean "tenants.maxTenants"? (known: load, fromRequest, maxTenants, idleMs, retryMs)',
  );
});

test('valid options make a frozen value', () => {
  const value = tenants({ load, fromRequest: () => undefined, maxTenants: 1, idleMs: 1, retryMs: 0 });
  expect(value.kind).toBe('tenants');
  expect(Object.isFrozen(value)).toBe(true);
});

test('attachOAuth2 refuses a plain object for tenants (the options before tenants()), naming "tenants"', () => {
  const plain = { load } as unknown as ReturnType<typeof tenants>;
  expect(optionOf(() => attachOAuth2(axios.create(), { tokenUrl: 'https://auth.example.com/t', tenants: plain }))).toBe(
    'tenants',
  );
  expect(() => attachOAuth2(axios.create(), { tokenUrl: 'https://auth.example.com/t', tenants: plain })).toThrow(
    /tenants\(\{ load \}\) from axios-oauth2-bearer\/tenants/,
  );
});
