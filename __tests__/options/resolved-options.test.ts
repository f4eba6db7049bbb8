/**
 * One immutable context per attachment: the options are checked once, and nothing changes them after
 * (neither attach, which adds the event stream, nor a token entry, which adds its scope and resource).
 */
import axios from 'axios';
import { resolveOptions, type ResolvedOptions } from '../../src/options/validate-options';
import { TokenEntries } from '../../src/token/token-entries';
import type { TokenCache } from '../../src/token/token-cache';
import { startAuthServer, type AuthServer } from '../../src/testing';

let server: AuthServer;
beforeAll(async () => {
  server = await startAuthServer();
});
afterAll(() => server.close());

test('resolveOptions returns a frozen context: a write throws', () => {
  const resolved = resolveOptions(axios.create(), { tokenUrl: server.tokenUrl, clientId: 'id', clientSecret: 's' });
  expect(Object.isFrozen(resolved)).toBe(true);
  expect(() => {
    (resolved as { scope?: string }).scope = 'changed';
  }).toThrow(TypeError);
  expect(resolved.scope).toBeUndefined();
});

test("a token entry (a per-request scope) gets a frozen copy with its selection, the attachment's stays as it was", () => {
  const resolved = resolveOptions(axios.create(), { tokenUrl: server.tokenUrl, clientId: 'id', clientSecret: 's' });
  const made: ResolvedOptions[] = [];
  const entries = new TokenEntries(resolved, (options) => {
    made.push(options);
    return {} as TokenCache;
  });
  entries.forSelector({ scope: 'read' });
  expect(made).toHaveLength(2);
  expect(made[0]).toBe(resolved);
  expect(made[1]).toMatchObject({ scope: 'read', clientId: 'id' });
  expect(Object.isFrozen(made[1])).toBe(true);
  expect(resolved.scope).toBeUndefined();
});
