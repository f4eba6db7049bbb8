/** attachOAuth2 given something that is not an axios object says what it got. */
import axios from 'axios';
import { attachOAuth2, OAuth2Error, OAuth2OptionsError, type OAuth2Options } from '../../src';

const options: OAuth2Options = {
  tokenUrl: 'https://auth.example.com/oauth/token',
  clientId: 'client-1',
  clientSecret: 'zz-Secret-Value-9931',
};
const NEEDS = 'axios-oauth2-bearer: attachOAuth2 needs an axios instance (from axios.create()) as its first argument';
const managers = () => ({ request: { use() {}, eject() {} }, response: { use() {}, eject() {} } });

function attachError(target: unknown): OAuth2OptionsError {
  try {
    attachOAuth2(target as never, options);
  } catch (error) {
    return error as OAuth2OptionsError;
  }
  throw new Error('attachOAuth2 did not throw');
}

test.each<[string, unknown, string]>([
  ['undefined', undefined, 'got undefined'],
  ['null', null, 'got null'],
  ['a string', 'https://api.example.com', 'got a string'],
  ['a number', 42, 'got a number'],
  ['an array', [], 'got an array'],
  ['an empty object', {}, 'got an object without interceptors'],
  ['a function', () => undefined, 'got a function without interceptors'],
  ['no request method', { interceptors: managers() }, 'got an object without a request method'],
  [
    'interceptors without managers',
    { request() {}, interceptors: {} },
    'got an object whose interceptors lack request.use and response.use',
  ],
  [
    'the options first',
    options,
    'got an object without interceptors (it looks like the options: pass the axios instance first)',
  ],
  [
    'a module namespace',
    { default: axios },
    'got an object without interceptors (a module namespace? pass its default export, or axios.create())',
  ],
])('%s', (_label, target, got) => {
  const error = attachError(target);
  expect(error).toBeInstanceOf(OAuth2OptionsError);
  expect(error).toBeInstanceOf(OAuth2Error);
  expect(error).toMatchObject({ code: 'OAUTH2_INVALID_OPTIONS', option: 'instance' });
  expect(error.message).toBe(`${NEEDS}, ${got}`);
  expect(error.message).not.toContain('zz-Secret-Value-9931');
});

test('an instance is accepted', () => {
  expect(() => attachOAuth2(axios.create(), options).detach()).not.toThrow();
});
