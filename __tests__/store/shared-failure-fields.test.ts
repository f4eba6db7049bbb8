/**
 * What another process sees of a shared permanent failure (src/store/shared-failure.ts): every
 * public RFC 6749 §5.2 field, and which failures without an `error` code are shared.
 */
import { TokenEndpointError } from '../../src';
import { fromStoredFailure, toStoredFailure } from '../../src/store/shared-failure';

const permanent = (details: Partial<ConstructorParameters<typeof TokenEndpointError>[1]>) =>
  new TokenEndpointError('token request failed', { transient: false, attempts: 2, ...details });

test('error, error_description, error_uri and status travel to the other process, as the same TokenEndpointError', () => {
  const original = permanent({
    error: 'invalid_scope',
    errorDescription: 'scope "admin" is not allowed',
    errorUri: 'https://auth.example.com/errors/invalid_scope',
    status: 400,
  });
  const stored = toStoredFailure(original, 123);
  expect(stored).toEqual({
    until: 123,
    message: 'token request failed',
    error: 'invalid_scope',
    errorDescription: 'scope "admin" is not allowed',
    errorUri: 'https://auth.example.com/errors/invalid_scope',
    status: 400,
    attempts: 2,
  });
  const seen = fromStoredFailure(stored!);
  expect(seen).toBeInstanceOf(TokenEndpointError);
  expect(seen).toMatchObject({
    message: 'token request failed',
    code: 'OAUTH2_TOKEN_ENDPOINT_ERROR',
    error: 'invalid_scope',
    errorDescription: 'scope "admin" is not allowed',
    errorUri: 'https://auth.example.com/errors/invalid_scope',
    status: 400,
    transient: false,
    attempts: 2,
  });
});

test('fields the server did not send are absent from the stored failure (not undefined keys)', () => {
  const stored = toStoredFailure(permanent({ error: 'unsupported_grant_type' }), 1);
  expect(Object.keys(stored!).sort()).toEqual(['attempts', 'error', 'message', 'until']);
});

test('a permanent failure without an error code is shared unless its status is 401', () => {
  expect(toStoredFailure(permanent({ status: 400 }), 1)).toEqual({
    until: 1,
    message: 'token request failed',
    status: 400,
    attempts: 2,
  });
  expect(toStoredFailure(permanent({}), 1)).toEqual({ until: 1, message: 'token request failed', attempts: 2 });
  expect(Object.keys(toStoredFailure(permanent({ status: 400 }), 1)!).sort()).toEqual([
    'attempts',
    'message',
    'status',
    'until',
  ]);
  expect(toStoredFailure(permanent({ status: 401 }), 1)).toBeUndefined();
});

test('an error code decides over the status: invalid_scope with a 401 is shared, invalid_client with a 400 is not', () => {
  expect(toStoredFailure(permanent({ error: 'invalid_scope', status: 401 }), 1)).toMatchObject({
    error: 'invalid_scope',
    status: 401,
  });
  expect(toStoredFailure(permanent({ error: 'invalid_client', status: 400 }), 1)).toBeUndefined();
});
