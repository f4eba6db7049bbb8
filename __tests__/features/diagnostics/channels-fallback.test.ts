/**
 * Issue 15: feature detection of `diagnostics_channel.tracingChannel` (Node lines without it get the
 * token trace on plain channels), and the zero-cost rule (nothing published, no message built, when
 * nobody subscribes), proved with a fake `node:diagnostics_channel` module injected into the plugin.
 */
import dc from 'node:diagnostics_channel';
import axios from 'axios';
import { startAuthServer, type AuthServer } from '../../../src/testing';
import type * as Plugin from '../../../src';
import type * as Diagnostics from '../../../src/features/diagnostics';
import {
  tokenTraceChannels,
  type ChannelLike,
  type DiagnosticsModule,
} from '../../../src/features/diagnostics/channels';

interface FakeChannel extends ChannelLike {
  readonly name: string;
  listening: boolean;
  reads: number;
}

/** A `diagnostics_channel` without `tracingChannel` (as on older Node lines), recording every publication. */
function fakeDiagnostics(log: Array<[string, unknown]>) {
  const channels = new Map<string, FakeChannel>();
  const module: DiagnosticsModule = {
    channel(name) {
      let channel = channels.get(name);
      if (!channel) {
        channel = {
          name,
          listening: false,
          reads: 0,
          get hasSubscribers() {
            this.reads += 1;
            return this.listening;
          },
          publish(message) {
            log.push([name, { ...(message as object) }]);
          },
        };
        channels.set(name, channel);
      }
      return channel;
    },
  };
  return { module, channels };
}

let server: AuthServer;
beforeEach(async () => {
  server = await startAuthServer({ tokenLifetimeSeconds: 1000 });
});
afterEach(async () => {
  jest.dontMock('node:diagnostics_channel');
  await server.close();
});

/** The plugin's entry point and its diagnostics extension, loaded afresh against `fake` as their `node:diagnostics_channel`. */
function pluginWith(fake: DiagnosticsModule): typeof Plugin & typeof Diagnostics {
  let plugin: (typeof Plugin & typeof Diagnostics) | undefined;
  jest.isolateModules(() => {
    jest.doMock('node:diagnostics_channel', () => fake);
    plugin = {
      ...jest.requireActual<typeof Plugin>('../../../src'),
      ...jest.requireActual<typeof Diagnostics>('../../../src/features/diagnostics'),
    };
  });
  return plugin as typeof Plugin & typeof Diagnostics;
}

test('with tracingChannel: the trace uses Node’s tracing:axios-oauth2-bearer:token:* channels', () => {
  const trace = tokenTraceChannels(dc as unknown as DiagnosticsModule);
  expect((trace.start as unknown as { name: string }).name).toBe('tracing:axios-oauth2-bearer:token:start');
  expect((trace.asyncEnd as unknown as { name: string }).name).toBe('tracing:axios-oauth2-bearer:token:asyncEnd');
});

test('without tracingChannel: plain channels axios-oauth2-bearer:token:<event>, same messages, same order', async () => {
  const log: Array<[string, unknown]> = [];
  const fake = fakeDiagnostics(log);
  const { attachOAuth2, diagnosticsChannels } = pluginWith(fake.module);
  for (const channel of fake.channels.values()) channel.listening = true;
  // Channels the plugin has not asked for yet listen too, once it does.
  const channel = fake.module.channel.bind(fake.module);
  fake.module.channel = (name) => Object.assign(channel(name), { listening: true });

  const api = axios.create({ baseURL: server.apiBaseUrl });
  const auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    extensions: [diagnosticsChannels()],
  });
  await Promise.all([api.get('/users'), api.get('/users')]);
  auth.detach();

  const trace = log.filter(([name]) => name.startsWith('axios-oauth2-bearer:token:'));
  expect(trace.map(([name]) => name)).toEqual([
    'axios-oauth2-bearer:token:start',
    'axios-oauth2-bearer:token:end',
    'axios-oauth2-bearer:token:asyncStart',
    'axios-oauth2-bearer:token:asyncEnd',
  ]);
  expect(trace[3][1]).toMatchObject({ cacheKey: auth.cacheKey, outcome: 'token', background: false });
  expect(log.filter(([name]) => name === 'axios-oauth2-bearer:cache-miss')).toHaveLength(2);
  expect(log.filter(([name]) => name === 'axios-oauth2-bearer:token-acquired')).toHaveLength(1);
});

test('nobody subscribed: not one publication through cold fetch, hits, a replay and a failure', async () => {
  const log: Array<[string, unknown]> = [];
  const fake = fakeDiagnostics(log);
  const { attachOAuth2, diagnosticsChannels } = pluginWith(fake.module);

  const api = axios.create({ baseURL: server.apiBaseUrl });
  const auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    extensions: [diagnosticsChannels()],
  });
  await Promise.all(Array.from({ length: 5 }, () => api.get('/users')));
  const hit = fake.channels.get('axios-oauth2-bearer:cache-hit') as FakeChannel;
  const readsBefore = hit.reads;
  await api.get('/users');
  // The hot path asks the hit channel once, and does nothing else for it.
  expect(hit.reads - readsBefore).toBe(1);
  server.revokeAllTokens();
  await api.get('/users');
  server.injectTokenFaults([{ type: 'status', status: 400 }]);
  await auth.getToken({ forceRefresh: true }).catch(() => undefined);
  auth.detach();

  expect(server.counters.tokenCalls).toBe(3);
  expect(log).toEqual([]);
  expect(fake.channels.size).toBeGreaterThan(10);
});
