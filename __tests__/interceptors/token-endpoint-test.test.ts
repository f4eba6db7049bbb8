/**
 * `tokenEndpointTest` (src/interceptors/token-endpoint-request.ts): whether a request targets the
 * token endpoint, query ignored. The behaviour through an attached instance and the embedded server
 * is in `__tests__/interceptors/token-endpoint-request.test.ts`.
 */
import { tokenEndpointTest, tokenEndpointsTest } from '../../src/interceptors/token-endpoint-request';

test('a token endpoint at the root path ("/", no last segment) is still recognised', () => {
  const isToken = tokenEndpointTest('https://as.example/');
  expect(isToken({ url: 'https://as.example/?x=1' })).toBe(true);
  expect(isToken({ url: '/', baseURL: 'https://as.example' })).toBe(true);
  expect(isToken({ url: 'https://as.example/users' })).toBe(false);
});

test('the URL left to baseURL alone (no url, or an empty one) is recognised too', () => {
  const isToken = tokenEndpointTest('https://as.example/oauth/token');
  expect(isToken({ baseURL: 'https://as.example/oauth/token' })).toBe(true);
  expect(isToken({ url: '', baseURL: 'https://as.example/oauth/token' })).toBe(true);
  expect(isToken({ url: '', baseURL: 'https://as.example/oauth' })).toBe(false);
});

test('several endpoints: any of them', () => {
  const isToken = tokenEndpointsTest(['https://as.example/token', 'https://mtls.as.example/token']);
  expect(isToken({ url: 'https://mtls.as.example/token' })).toBe(true);
  expect(isToken({ url: 'https://as.example/token?a=1' })).toBe(true);
  expect(isToken({ url: 'https://other.example/token' })).toBe(false);
});
