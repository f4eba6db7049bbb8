/** tokenExchange() checks its options at factory time; attachOAuth2 checks how the grant fits the attachment. */
import axios from 'axios';
import { attachOAuth2, OAuth2OptionsError } from '../../../src';
import { tokenExchange, TOKEN_TYPES, type TokenExchangeOptions } from '../../../src/features/token-exchange';

const base: TokenExchangeOptions = { subjectTokenType: TOKEN_TYPES.accessToken };

function optionOf(make: () => unknown): string | undefined {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(OAuth2OptionsError);
    return (error as OAuth2OptionsError).option;
  }
  return undefined;
}

test.each<[string, Partial<TokenExchangeOptions> & Record<string, unknown>, string]>([
  ['no subjectTokenType', { subjectTokenType: undefined }, 'tokenExchange.subjectTokenType'],
  ['a subjectTokenType that is not a URI', { subjectTokenType: 'access_token' }, 'tokenExchange.subjectTokenType'],
  ['a requestedTokenType with spaces', { requestedTokenType: 'urn:x: y' }, 'tokenExchange.requestedTokenType'],
  ['an empty audience', { audience: '' }, 'tokenExchange.audience'],
  ['an audience with surrounding spaces', { audience: ' billing ' }, 'tokenExchange.audience'],
  ['an audience that is not a string', { audience: ['a', 'b'] as unknown as string }, 'tokenExchange.audience'],
  ['a relative resource', { resource: '/api' }, 'tokenExchange.resource'],
  ['a resource with a fragment', { resource: 'https://api.example.com/#x' }, 'tokenExchange.resource'],
  ['an empty scope', { scope: ' ' }, 'tokenExchange.scope'],
  ['an actorToken without actorTokenType', { actorToken: 'abcd' }, 'tokenExchange.actorTokenType'],
  ['an actorTokenType without actorToken', { actorTokenType: TOKEN_TYPES.jwt }, 'tokenExchange.actorToken'],
  ['an empty actorToken', { actorToken: '', actorTokenType: TOKEN_TYPES.jwt }, 'tokenExchange.actorToken'],
  ['a subjectToken that is not a function', { subjectToken: 'abcd' as never }, 'tokenExchange.subjectToken'],
  ['maxSubjects 0', { maxSubjects: 0 }, 'tokenExchange.maxSubjects'],
  ['an unknown option (a typo)', { audiance: 'x' }, 'tokenExchange.audiance'],
])('%s: OAuth2OptionsError naming %s', (_, extra, option) => {
  expect(optionOf(() => tokenExchange({ ...base, ...extra }))).toBe(option);
});

test('errors never echo an actor token given in the wrong place', () => {
  const secret = 'actor-secret-token-value';
  let message = '';
  try {
    tokenExchange({ ...base, actorToken: secret });
  } catch (error) {
    message = `${(error as Error).message} ${JSON.stringify(error)}`;
  }
  expect(message).toContain('actorTokenType');
  expect(message).not.toContain(secret);
});

test('a valid grant: its public identity, defaults and bound', () => {
  const grant = tokenExchange({
    subjectTokenType: TOKEN_TYPES.jwt,
    requestedTokenType: TOKEN_TYPES.accessToken,
    audience: 'billing',
    actorToken: () => 'x',
    actorTokenType: TOKEN_TYPES.accessToken,
  });
  expect(grant.identity).toEqual({
    subject_token_type: TOKEN_TYPES.jwt,
    requested_token_type: TOKEN_TYPES.accessToken,
    audience: 'billing',
    actor_token_type: TOKEN_TYPES.accessToken,
  });
  expect(typeof grant.attach).toBe('function');
  expect(Object.isFrozen(grant)).toBe(true);
});

test('scope and resource of the grant are the attachment defaults; set twice is an error naming it', async () => {
  const api = axios.create({ baseURL: 'https://api.example.com' });
  const grant = tokenExchange({ ...base, scope: 'read', resource: 'https://api.example.com/' });
  const options = { tokenUrl: 'https://auth.example.com/token', clientId: 'c', clientSecret: 's', grant };
  expect(optionOf(() => attachOAuth2(api, { ...options, scope: 'write' }))).toBe('scope');
  expect(optionOf(() => attachOAuth2(api, { ...options, resource: 'https://other.example.com/' }))).toBe('resource');
  const auth = attachOAuth2(api, options);
  auth.detach();
});
