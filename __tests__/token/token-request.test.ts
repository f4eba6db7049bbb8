/**
 * The token request as built (src/token/token-request.ts), pure: the Basic value in both encodings,
 * the method per format, the main grant's parameters, the order in which parameters and headers
 * override each other, and the request for each format.
 */
import axios from 'axios';
import type { OAuth2Options } from '../../src';
import { resolveOptions, type ResolvedOptions } from '../../src/options/validate-options';
import {
  basicAuthorization,
  buildTokenRequest,
  mainGrant,
  tokenHeaders,
  tokenParams,
  tokenRequestMethod,
} from '../../src/token/token-request';

const URL_ = 'https://auth.example.com/token';

function options(extra: Partial<OAuth2Options> = {}): ResolvedOptions {
  return resolveOptions(axios.create(), { tokenUrl: URL_, clientId: 'client-1', clientSecret: 's3cret', ...extra });
}

const decoded = (header: string) => Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');

describe('basicAuthorization', () => {
  test("'rfc6749' form-encodes id and secret before base64", () => {
    const header = basicAuthorization('id ä:1', 'p:ss&+/', 'rfc6749');
    expect(header.startsWith('Basic ')).toBe(true);
    expect(decoded(header)).toBe('id+%C3%A4%3A1:p%3Ass%26%2B%2F');
  });

  test("'raw' encodes id:secret as is (UTF-8)", () => {
    const header = basicAuthorization('id ä:1', 'p:ss&+/', 'raw');
    expect(header).toBe(`Basic ${Buffer.from('id ä:1:p:ss&+/', 'utf8').toString('base64')}`);
  });
});

test.each<[OAuth2Options['tokenRequestFormat'], string]>([
  ['query', 'GET'],
  ['form', 'POST'],
  ['json', 'POST'],
])('tokenRequestMethod(%p) is %s', (format, method) => {
  expect(tokenRequestMethod(format ?? 'form')).toBe(method);
});

describe('mainGrant', () => {
  test('client credentials', () => {
    expect(mainGrant(options())).toEqual({ grant_type: 'client_credentials' });
  });

  test('password, with its username and password', () => {
    expect(mainGrant(options({ grant: { type: 'password', username: 'u', password: 'pw' } }))).toEqual({
      grant_type: 'password',
      username: 'u',
      password: 'pw',
    });
  });

  test('a custom grant: its grant_type only (its parameters come per attempt)', () => {
    const grant = { type: 'custom' as const, grantType: 'urn:x:grant', parameters: () => ({ a: 'b' }) };
    expect(mainGrant(options({ grant }))).toEqual({ grant_type: 'urn:x:grant' });
  });
});

describe('tokenParams and tokenHeaders', () => {
  test('tokenRequestParams first, then the grant over them, then scope and resource', () => {
    const resolved = options({
      tokenRequestParams: { grant_type: 'ignored', audience: 'api', scope: 'overridden' },
      scope: 'read',
      resource: 'https://api.example.com',
    });
    expect(tokenParams(resolved, { grant_type: 'client_credentials' })).toEqual({
      grant_type: 'client_credentials',
      audience: 'api',
      scope: 'read',
      resource: 'https://api.example.com',
    });
  });

  test('no scope or resource key when none is set', () => {
    expect(tokenParams(options(), { grant_type: 'client_credentials' })).toEqual({
      grant_type: 'client_credentials',
    });
  });

  test.each<[OAuth2Options['tokenRequestFormat'], Record<string, string>]>([
    ['form', { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', 'X-Extra': '1' }],
    ['json', { Accept: 'application/json', 'Content-Type': 'application/json', 'X-Extra': '1' }],
    ['query', { Accept: 'application/json', 'X-Extra': '1' }],
  ])('format %p: Accept, tokenRequestHeaders and the body type', (format, headers) => {
    expect(tokenHeaders(options({ tokenRequestFormat: format, tokenRequestHeaders: { 'X-Extra': '1' } }))).toEqual(
      headers,
    );
  });

  test('tokenRequestHeaders may replace Accept', () => {
    expect(tokenHeaders(options({ tokenRequestHeaders: { Accept: 'application/jwt' } })).Accept).toBe(
      'application/jwt',
    );
  });
});

describe('buildTokenRequest', () => {
  const grant = { grant_type: 'client_credentials' } as const;
  const credentials = { params: { client_id: 'client-1', extra: 'from-credentials' }, headers: { 'X-Auth': 'c' } };
  const extras = {
    params: { extra: 'from-extras', assertion: 'a-1' },
    headersFor: (url: string) => ({ 'X-Proof': `proof ${url}`, 'X-Auth': 'overridden by the proof' }),
  };

  test('form: a POST to tokenUrl, the body form-encoded, credentials last among the parameters', () => {
    const request = buildTokenRequest(options(), grant, undefined, extras, credentials);
    expect(request).toEqual({
      method: 'POST',
      url: URL_,
      data: 'grant_type=client_credentials&extra=from-credentials&assertion=a-1&client_id=client-1',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Auth': 'overridden by the proof',
        'X-Proof': `proof ${URL_}`,
      },
    });
  });

  test('json: the body as JSON', () => {
    const request = buildTokenRequest(options({ tokenRequestFormat: 'json' }), grant, 'https://other.example/t');
    expect(request).toEqual({
      method: 'POST',
      url: 'https://other.example/t',
      data: '{"grant_type":"client_credentials"}',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    });
  });

  test('query: a GET with the parameters in the URL, no body', () => {
    const request = buildTokenRequest(options({ tokenRequestFormat: 'query' }), grant, URL_, undefined, credentials);
    expect(request.method).toBe('GET');
    expect(request.url).toBe(URL_);
    expect((request as { data?: unknown }).data).toBeUndefined();
    expect(String((request as { params: URLSearchParams }).params)).toBe(
      'grant_type=client_credentials&client_id=client-1&extra=from-credentials',
    );
    expect(request.headers).toEqual({ Accept: 'application/json', 'X-Auth': 'c' });
  });
});
