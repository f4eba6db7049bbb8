/** The safe views an error leaving the plugin is shown through (unit level; the loopback tests cover the wiring). */
import { inspect } from 'node:util';
import { AxiosError } from 'axios';
import { redactAxiosError } from '../../src/security/redact-axios-error';
import { safeValue } from '../../src/security/safe-view';
import { withoutSecrets } from '../../src/security/redact';

test('safeValue: credentials masked (scheme kept), objects reduced to their class, functions left out', () => {
  const view = safeValue({
    headers: { Authorization: 'Bearer AT-1', 'Proxy-Authorization': 'opaque-credential', Accept: 'application/json' },
    auth: { username: 'u', password: 'pw' },
    proxy: { host: 'proxy.local', port: 3128, auth: { username: 'u', password: 'proxy-pw' } },
    params: new URLSearchParams({ q: 'x', password: 'pw-in-query' }),
    data: Buffer.from('body'),
    list: [1, 'two', { cookie: 'session=1' }],
    transformRequest: [() => undefined],
    signal: new AbortController().signal,
    deep: { a: { b: { c: { d: { e: { f: { g: 'too deep' } } } } } } },
  });
  expect(view).toEqual({
    headers: { Authorization: 'Bearer [redacted]', 'Proxy-Authorization': '[redacted]', Accept: 'application/json' },
    auth: '[redacted]',
    proxy: { host: 'proxy.local', port: 3128, auth: '[redacted]' },
    params: { q: 'x', password: '[redacted]' },
    data: '[Buffer]',
    list: [1, 'two', { cookie: '[redacted]' }],
    transformRequest: [undefined],
    signal: '[AbortSignal]',
    deep: { a: { b: { c: { d: { e: { f: '[Object]' } } } } } },
  });
});

test('redactAxiosError with plain-object headers: the plugin’s header masked live, the caller’s kept live but not shown', () => {
  const plugin = new AxiosError('boom', 'ERR_BAD_RESPONSE', { headers: { authorization: 'Bearer AT-1' } } as never);
  redactAxiosError(plugin, 'Bearer AT-1');
  expect((plugin.config?.headers as Record<string, unknown>).authorization).toBe('Bearer [redacted]');

  const own = new AxiosError('boom', 'ERR_BAD_RESPONSE', { headers: { authorization: 'Basic b3du' } } as never);
  redactAxiosError(own, 'Bearer AT-1');
  expect((own.config?.headers as Record<string, unknown>).authorization).toBe('Basic b3du');
  expect(JSON.stringify(own)).not.toContain('b3du');
  expect(inspect(own, { depth: Infinity })).not.toContain('b3du');
});

test('withoutSecrets: the error itself when it quotes no secret, else a scrubbed copy', () => {
  const clean = new Error('store down');
  expect(withoutSecrets(clean, ['AT-secret'])).toBe(clean);
  const quoting = Object.assign(new Error('SET failed'), { command: { args: ['k', '{"accessToken":"AT-secret"}'] } });
  const copy = withoutSecrets(quoting, ['AT-secret']) as Error;
  expect(copy).not.toBe(quoting);
  expect(copy.message).toBe('SET failed');
  expect(JSON.stringify(copy)).not.toContain('AT-secret');
  expect(withoutSecrets('not an error', ['AT-secret'])).toBe('not an error');
});

test('safeValue: headers of another axios copy are shown (masked) too', async () => {
  const { AxiosHeaders: OtherHeaders } = await import('axios-1.7');
  const headers = new OtherHeaders({ Authorization: 'Bearer AT-1', Accept: 'text/plain' });
  expect(safeValue({ headers })).toEqual({ headers: { Authorization: 'Bearer [redacted]', Accept: 'text/plain' } });
});
