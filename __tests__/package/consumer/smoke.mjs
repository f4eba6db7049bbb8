// Smoke flow of scripts/node-matrix.sh, run by each Node line against the installed tarball:
// single flight, a 401 replay, the diagnostics channels, close() with RFC 7009 revocation.
import dc from 'node:diagnostics_channel';
import assert from 'node:assert/strict';
import axios from 'axios';
import { attachOAuth2 } from 'axios-oauth2-bearer';
import { CHANNEL_NAMES, diagnosticsChannels, TOKEN_TRACE_CHANNEL } from 'axios-oauth2-bearer/diagnostics';
import { revokeOnClose } from 'axios-oauth2-bearer/revocation';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

const seen = [];
const listener = (message, name) => seen.push(name);
for (const name of CHANNEL_NAMES) dc.subscribe(name, listener);
const traced = typeof dc.tracingChannel === 'function';
const traceNames = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'].map((event) =>
  traced ? `tracing:${TOKEN_TRACE_CHANNEL}:${event}` : `${TOKEN_TRACE_CHANNEL}:${event}`,
);
for (const name of traceNames) dc.subscribe(name, listener);

const server = await startAuthServer({ clientId: 'matrix', clientSecret: 'matrix-secret' });
try {
  const api = axios.create({ baseURL: server.apiBaseUrl });
  const auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: 'matrix',
    clientSecret: 'matrix-secret',
    extensions: [diagnosticsChannels(), revokeOnClose({ url: server.revocationUrl })],
  });
  await Promise.all(Array.from({ length: 20 }, () => api.get('/users')));
  assert.equal(server.counters.tokenCalls, 1);
  server.revokeAllTokens();
  await api.get('/users');
  assert.equal(server.counters.tokenCalls, 2);
  const token = await auth.getAccessToken();
  await auth.close();
  assert.equal(server.counters.revokedTokens, 1);
  const after = await axios.get(`${server.apiBaseUrl}/users`, {
    headers: { Authorization: `Bearer ${token}` },
    validateStatus: () => true,
  });
  assert.equal(after.status, 401);
  const count = (name) => seen.filter((n) => n === name).length;
  assert.equal(count(traceNames[0]), 2);
  assert.equal(count(traceNames[3]), 2);
  assert.equal(count('axios-oauth2-bearer:cache-miss'), 20);
  assert.equal(count('axios-oauth2-bearer:request-replayed'), 1);
  assert.equal(typeof auth[Symbol.asyncDispose], typeof Symbol.asyncDispose === 'symbol' ? 'function' : 'undefined');
  process.stdout.write(JSON.stringify({ ok: true, node: process.version, tracingChannel: traced }) + '\n');
} finally {
  await server.close();
}
