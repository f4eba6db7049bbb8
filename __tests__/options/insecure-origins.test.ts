/**
 * RFC 6750 §5.3: bearer tokens MUST travel over TLS. An API origin that would receive the bearer over
 * plain http (other than loopback) is refused at attach time, unless `allowInsecureHttp` opts in.
 */
import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { attachOAuth2, OAuth2OptionsError, type OAuth2Options } from '../../src';
import { mockApi, mockTokenEndpoint, type ApiCall } from '../helpers/harness';

const SECRET = 'insecure-origins-secret-77';
const options: OAuth2Options = {
  tokenUrl: 'https://auth.example.com/oauth/token',
  clientId: 'client-1',
  clientSecret: SECRET,
};

function attachError(change: Partial<OAuth2Options>, baseURL?: string): OAuth2OptionsError {
  try {
    attachOAuth2(axios.create({ baseURL }), { ...options, ...change });
  } catch (error) {
    return error as OAuth2OptionsError;
  }
  throw new Error('attachOAuth2 did not throw');
}

describe('bearer over plain http', () => {
  test.each([
    ['apiOrigins[0]', { apiOrigins: ['http://api.example.com'] }],
    ['apiOrigins[1]', { apiOrigins: ['https://api.example.com', 'http://10.1.2.3:8080/v1'] }],
    ['apiOrigins[0]', { apiOrigins: ['http://localhost.evil.example'] }],
  ])('an http apiOrigins entry on a non-loopback host is refused: %s', (option, change) => {
    const error = attachError(change);
    expect(error).toBeInstanceOf(OAuth2OptionsError);
    expect(error.option).toBe(option);
    expect(error.message).toContain(`"${option}"`);
    expect(error.message).toContain('RFC 6750');
    expect(error.message).toContain('allowInsecureHttp');
    expect(error.message).not.toContain(SECRET);
  });

  test('the default origin, taken from an http baseURL, is refused too, naming apiOrigins', () => {
    const error = attachError({}, 'http://api.example.com/v2.01/acme');
    expect(error).toBeInstanceOf(OAuth2OptionsError);
    expect(error.option).toBe('apiOrigins');
    expect(error.message).toBe(
      'axios-oauth2-bearer: option "apiOrigins" must be https, as bearer tokens must not be sent in clear text ' +
        '(RFC 6750 §5.3; http is allowed only on loopback hosts, or everywhere with allowInsecureHttp: true): ' +
        "its default, the origin of the instance's baseURL, is http://api.example.com",
    );
  });

  test.each([
    [{ apiOrigins: ['http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]:9000'] }, undefined],
    [{}, 'http://127.0.0.1:4000/api'],
    [{}, 'http://localhost/api'],
    [{}, 'https://api.example.com/api'],
  ])('loopback http and https origins are accepted: %j %s', (change, baseURL) => {
    expect(() => attachOAuth2(axios.create({ baseURL }), { ...options, ...change })).not.toThrow();
  });

  test('allowInsecureHttp: true opts in for a private network: http origins and tokenUrl, bearer sent', async () => {
    const tokenUrl = 'http://auth.internal/oauth/token';
    const api = axios.create({ baseURL: 'http://api.internal/v1' });
    const mock = new MockAdapter(api);
    const endpoint = mockTokenEndpoint(mock, tokenUrl);
    const calls: ApiCall[] = [];
    mockApi(mock, calls, () => true);
    attachOAuth2(api, { ...options, tokenUrl, allowInsecureHttp: true });
    expect((await api.get('/things')).data.authorization).toBe('Bearer tok-1');
    expect(endpoint.calls).toHaveLength(1);
    expect(() =>
      attachOAuth2(axios.create(), { ...options, apiOrigins: ['http://10.0.0.5:8080'], allowInsecureHttp: true }),
    ).not.toThrow();
  });

  test('without the opt-in an http tokenUrl is still refused, with the opt-in named', () => {
    const error = attachError({ tokenUrl: 'http://auth.internal/oauth/token' });
    expect(error.option).toBe('tokenUrl');
    expect(error.message).toContain('allowInsecureHttp');
  });
});
