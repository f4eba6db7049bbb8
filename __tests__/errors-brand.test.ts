import { inspect } from 'node:util';
import * as errors from '../src/errors';

/** A second, independent copy of the error module, as another bundle of the package would load. */
function otherCopy(): typeof errors {
  let copy: typeof errors | undefined;
  jest.isolateModules(() => {
    copy = jest.requireActual<typeof errors>('../src/errors');
  });
  if (!copy || copy.OAuth2Error === errors.OAuth2Error) throw new Error('expected a distinct module copy');
  return copy;
}

describe('instanceof across copies of the package (CJS and ESM builds, the redis subpath bundle)', () => {
  const other = otherCopy();
  const foreign = {
    endpoint: new other.TokenEndpointError('m', { transient: false, attempts: 1, status: 400 }),
    locked: new other.AccountLockedError(2_000, 1_000, {}),
    invalid: new other.InvalidTokenResponseError('access_token', 'm', {}),
    replay: new other.ReplayNotPossibleError('m', { cause: new Error('401') }),
    options: new other.OAuth2OptionsError('clientId', 'm'),
  };

  test('each foreign error matches its own class and OAuth2Error of this copy', () => {
    expect(foreign.endpoint instanceof errors.TokenEndpointError).toBe(true);
    expect(foreign.locked instanceof errors.AccountLockedError).toBe(true);
    expect(foreign.invalid instanceof errors.InvalidTokenResponseError).toBe(true);
    expect(foreign.replay instanceof errors.ReplayNotPossibleError).toBe(true);
    expect(foreign.options instanceof errors.OAuth2OptionsError).toBe(true);
    for (const error of Object.values(foreign)) expect(error instanceof errors.OAuth2Error).toBe(true);
  });

  test('and no other class: the brand names the kind', () => {
    expect(foreign.endpoint instanceof errors.AccountLockedError).toBe(false);
    expect(foreign.locked instanceof errors.TokenEndpointError).toBe(false);
    expect(foreign.options instanceof errors.TokenEndpointError).toBe(false);
    expect(new Error('x') instanceof errors.OAuth2Error).toBe(false);
    expect({ code: 'OAUTH2_ACCOUNT_LOCKED' } instanceof errors.AccountLockedError).toBe(false);
  });

  test('a user subclass without its own kind matches only its real instances', () => {
    class SdkAuthError extends errors.OAuth2Error {}
    const own = new SdkAuthError('OAUTH2_TOKEN_ENDPOINT_ERROR', 'sdk');
    expect(own instanceof SdkAuthError).toBe(true);
    expect(own instanceof errors.OAuth2Error).toBe(true);
    expect(foreign.endpoint instanceof SdkAuthError).toBe(false);
  });

  test('the brand is a non-enumerable symbol: not in JSON.stringify, util.inspect or Object.keys', () => {
    const symbols = Object.getOwnPropertySymbols(foreign.endpoint);
    expect(symbols.map(String)).toEqual(['Symbol(axios-oauth2-bearer.error-kinds)']);
    expect(Object.getOwnPropertyDescriptor(foreign.endpoint, symbols[0])).toMatchObject({
      enumerable: false,
      value: ['TokenEndpointError', 'OAuth2Error'],
    });
    expect(JSON.parse(JSON.stringify(foreign.endpoint))).toEqual({
      name: 'TokenEndpointError',
      code: 'OAUTH2_TOKEN_ENDPOINT_ERROR',
      message: 'm',
      status: 400,
      transient: false,
      attempts: 1,
    });
    expect(inspect(foreign.endpoint)).not.toContain('error-kinds');
    expect(Object.keys(foreign.options)).toEqual(['name', 'code', 'option']);
  });
});
