import { OAuth2RequestOptionsError } from '../../src';
import {
  checkedResource,
  handleSelector,
  mergeSelectors,
  normaliseScope,
  requestSelector,
  selectorKey,
} from '../../src/token/token-selector';

/** The error `fn` throws (it must throw an `OAuth2RequestOptionsError`). */
function errorOf(fn: () => unknown): OAuth2RequestOptionsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OAuth2RequestOptionsError);
    return error as OAuth2RequestOptionsError;
  }
  throw new Error('did not throw');
}

describe('token selector (unit)', () => {
  describe('normaliseScope', () => {
    test('sorts, deduplicates and joins with one space; any whitespace separates', () => {
      expect(normaliseScope('b a')).toBe('a b');
      expect(normaliseScope('  b\t\ta \n b  ')).toBe('a b');
      expect(normaliseScope('read')).toBe('read');
      expect(normaliseScope('a  b')).toBe(normaliseScope('b a'));
    });

    test('blank input gives an empty string (no empty scope kept)', () => {
      expect(normaliseScope('')).toBe('');
      expect(normaliseScope('   ')).toBe('');
    });
  });

  describe('checkedResource', () => {
    test('undefined selects nothing; an absolute URI is kept as given', () => {
      expect(checkedResource('w', undefined)).toBeUndefined();
      expect(checkedResource('w', 'https://API.example/v1/?a=b')).toBe('https://API.example/v1/?a=b');
      expect(checkedResource('w', 'urn:example:api')).toBe('urn:example:api');
      expect(checkedResource('w', 'my+app.x-1:thing')).toBe('my+app.x-1:thing');
    });

    test.each([
      ['a relative path', '/api'],
      ['a scheme starting with a digit', '1http://x'],
      ['no scheme', 'api.example'],
      ['text before the scheme', ' https://api.example'],
      ['a fragment', 'https://api.example/#part'],
      ['an empty string', ''],
      ['a number', 42],
      ['null', null],
      // Not a string, although it reads as one (`String`, `includes` and `new URL` would accept it).
      ['an array holding a URI', ['https://api.example']],
      ['a scheme that URL refuses', 'https://exa mple.com:99999'],
    ])('%s is refused, naming the option, without echoing the value', (_what, value) => {
      const error = errorOf(() => checkedResource('getToken.resource', value));
      expect(error.option).toBe('getToken.resource');
      expect(error.message).toBe(
        'axios-oauth2-bearer: "getToken.resource" must be an absolute URI without a fragment (RFC 8707)',
      );
    });
  });

  describe('requestSelector', () => {
    test.each([
      ['null', null, 'null'],
      ['an array', [], 'an array'],
      ['a string', 'skip', 'a string'],
      ['a boolean', true, 'boolean'],
      ['undefined', undefined, 'undefined'],
    ])('%s is not an options object', (_what, value, described) => {
      const error = errorOf(() => requestSelector(value));
      expect(error.option).toBe('oauth2');
      expect(error.message).toBe(
        `axios-oauth2-bearer: "oauth2" must be an object such as { skip: true }, got ${described} (per-request options: skip, scope, resource)`,
      );
    });

    test('an unknown key is named, with the nearest public key suggested', () => {
      const error = errorOf(() => requestSelector({ scpoe: 'a' }));
      expect(error.option).toBe('oauth2.scpoe');
      expect(error.message).toBe(
        'axios-oauth2-bearer: unknown per-request option "oauth2.scpoe"; did you mean "oauth2.scope"? (known: skip, scope, resource)',
      );
      // The plugin's markers are never suggested (a caller does not set them).
      expect(errorOf(() => requestSelector({ injectd: true })).message).toBe(
        'axios-oauth2-bearer: unknown per-request option "oauth2.injectd" (known: skip, scope, resource)',
      );
      expect(errorOf(() => requestSelector({ tenat: 'a' })).message).toContain('did you mean "oauth2.tenant"?');
      expect(errorOf(() => requestSelector({ subjectTokn: 'a' })).message).toContain(
        'did you mean "oauth2.subjectToken"?',
      );
    });

    test('every known key is accepted, the markers and the features’ keys included', () => {
      expect(
        requestSelector({
          skip: false,
          injected: true,
          replayed: true,
          dpopNonceRetried: false,
          tenant: 't',
          subjectToken: 's',
          subjectTokenExpiresAt: 1,
        }),
      ).toBeUndefined();
      expect(requestSelector({})).toBeUndefined();
    });

    test.each(['skip', 'injected', 'replayed', 'dpopNonceRetried'])(
      'a non-boolean "%s" is refused without showing its value',
      (key) => {
        const error = errorOf(() => requestSelector({ [key]: 1234 }));
        expect(error.option).toBe(`oauth2.${key}`);
        expect(error.message).toBe(`axios-oauth2-bearer: "oauth2.${key}" must be a boolean, got a number`);
        expect(errorOf(() => requestSelector({ [key]: 'yes' })).message).toBe(
          `axios-oauth2-bearer: "oauth2.${key}" must be a boolean, got a string`,
        );
      },
    );

    test('scope and resource are checked and normalised, each alone or both', () => {
      expect(requestSelector({ scope: ' b a a ' })).toEqual({ scope: 'a b', resource: undefined });
      expect(requestSelector({ resource: 'https://api.example' })).toEqual({
        scope: undefined,
        resource: 'https://api.example',
      });
      expect(requestSelector({ scope: 'x', resource: 'urn:r', skip: false })).toEqual({
        scope: 'x',
        resource: 'urn:r',
      });
    });

    test.each([
      ['an empty scope', ''],
      ['a blank scope', '  '],
      ['a number', 7],
      ['null', null],
    ])('%s is refused as oauth2.scope', (_what, scope) => {
      const error = errorOf(() => requestSelector({ scope }));
      expect(error.option).toBe('oauth2.scope');
      expect(error.message).toBe(
        'axios-oauth2-bearer: "oauth2.scope" must be a non-empty string of space-separated scopes',
      );
    });

    test('a bad resource is refused as oauth2.resource', () => {
      expect(errorOf(() => requestSelector({ resource: 'relative' })).option).toBe('oauth2.resource');
    });
  });

  describe('handleSelector', () => {
    test('no argument selects nothing; an empty object or one without scope and resource neither', () => {
      expect(handleSelector('getToken', undefined)).toBeUndefined();
      expect(handleSelector('getToken', {})).toBeUndefined();
      expect(handleSelector('getToken', { forceRefresh: true }, ['forceRefresh'])).toBeUndefined();
    });

    test.each([
      ['null', null],
      ['a string', 'scope'],
      ['a number', 1],
    ])('%s is refused, naming the method', (_what, value) => {
      const error = errorOf(() => handleSelector('getAccessToken', value));
      expect(error.option).toBe('getAccessToken');
      expect(error.message).toBe('axios-oauth2-bearer: the argument of getAccessToken() must be an object');
    });

    test('an unknown key is named, with the nearest of scope, resource and the extra keys', () => {
      const error = errorOf(() => handleSelector('getToken', { resorce: 'urn:x' }));
      expect(error.option).toBe('getToken.resorce');
      expect(error.message).toBe(
        'axios-oauth2-bearer: unknown option "resorce" of getToken(); did you mean "resource"?',
      );
      expect(errorOf(() => handleSelector('getToken', { scpoe: 'a' })).message).toBe(
        'axios-oauth2-bearer: unknown option "scpoe" of getToken(); did you mean "scope"?',
      );
      expect(errorOf(() => handleSelector('getToken', { forceRefesh: true }, ['forceRefresh'])).message).toBe(
        'axios-oauth2-bearer: unknown option "forceRefesh" of getToken(); did you mean "forceRefresh"?',
      );
      expect(errorOf(() => handleSelector('invalidate', { zzzzzzzz: 1 })).message).toBe(
        'axios-oauth2-bearer: unknown option "zzzzzzzz" of invalidate()',
      );
      // An extra key of another method is unknown here.
      expect(errorOf(() => handleSelector('invalidate', { forceRefresh: true })).option).toBe(
        'invalidate.forceRefresh',
      );
    });

    test('scope and resource are checked under the method name', () => {
      expect(handleSelector('getToken', { scope: 'b a' })).toEqual({ scope: 'a b', resource: undefined });
      expect(handleSelector('getToken', { resource: 'urn:r' })).toEqual({ scope: undefined, resource: 'urn:r' });
      const scope = errorOf(() => handleSelector('getToken', { scope: '' }));
      expect(scope.option).toBe('getToken.scope');
      expect(scope.message).toBe(
        'axios-oauth2-bearer: "getToken.scope" must be a non-empty string of space-separated scopes',
      );
      expect(errorOf(() => handleSelector('getToken', { resource: 'x#y' })).option).toBe('getToken.resource');
    });
  });

  describe('mergeSelectors and selectorKey', () => {
    const attachment = { scope: 'att', resource: 'urn:att' };

    test('each field from the first level that sets it: request, origin, attachment', () => {
      expect(mergeSelectors(undefined, undefined, attachment)).toEqual(attachment);
      expect(mergeSelectors({ scope: 'req' }, { scope: 'org', resource: 'urn:org' }, attachment)).toEqual({
        scope: 'req',
        resource: 'urn:org',
      });
      expect(mergeSelectors({ resource: 'urn:req' }, { scope: 'org' }, attachment)).toEqual({
        scope: 'org',
        resource: 'urn:req',
      });
      expect(mergeSelectors({}, {}, attachment)).toEqual(attachment);
      expect(mergeSelectors(undefined, { resource: 'urn:org' }, {})).toEqual({
        scope: undefined,
        resource: 'urn:org',
      });
    });

    test('the key tells scope from resource and a missing field from a set one', () => {
      expect(selectorKey({})).toBe('[null,null]');
      expect(selectorKey({ scope: 'a', resource: 'urn:r' })).toBe('["a","urn:r"]');
      expect(selectorKey({ scope: 'x' })).not.toBe(selectorKey({ resource: 'x' }));
    });
  });
});
