/**
 * examples/opentelemetry: the plugin's diagnostics channels as OpenTelemetry spans and metrics, read
 * back with the SDK's in-memory span exporter and a pull metric reader, against the embedded server.
 */
import axios, { type AxiosInstance } from 'axios';
import { SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { DataPointType, MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { instrumentOAuth2 } from '../../examples/opentelemetry/instrument';
import { attachOAuth2, type OAuth2Handle } from '../../src';
import { startAuthServer, type AuthServer } from '../../src/testing';
import { diagnosticsChannels } from '../../src/features/diagnostics';

/** A metric reader the test pulls from. */
class PullReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

let server: AuthServer;
let api: AxiosInstance;
let auth: OAuth2Handle;
let spans: InMemorySpanExporter;
let reader: PullReader;
let uninstrument: () => void;

beforeEach(async () => {
  server = await startAuthServer({ tokenLifetimeSeconds: 600, lockoutAfter: 1 });
  spans = new InMemorySpanExporter();
  reader = new PullReader();
  uninstrument = instrumentOAuth2({
    tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
    meterProvider: new MeterProvider({ readers: [reader] }),
  });
  api = axios.create({ baseURL: server.apiBaseUrl });
});
afterEach(async () => {
  uninstrument();
  auth?.detach();
  await server.close();
});

/** Every metric collected, by name. */
async function collect(): Promise<Map<string, MetricData>> {
  const { resourceMetrics } = await reader.collect();
  return new Map(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m]));
}

/** The sum of a counter over all its attribute sets (0 when never incremented). */
function total(all: Map<string, MetricData>, name: string): number {
  const metric = all.get(name);
  return metric ? metric.dataPoints.reduce((sum, point) => sum + (point.value as number), 0) : 0;
}

test('20 concurrent cold requests, 5 warm ones, then a revoked token: 2 token spans, exact counters', async () => {
  auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    extensions: [diagnosticsChannels()],
  });
  await Promise.all(Array.from({ length: 20 }, () => api.get('/users')));
  await Promise.all(Array.from({ length: 5 }, () => api.get('/users')));

  let finished = spans.getFinishedSpans();
  expect(finished).toHaveLength(1);
  expect(finished[0].name).toBe('oauth2.token.fetch');
  expect(finished[0].attributes).toEqual({
    'oauth2.cache_key': auth.cacheKey,
    'oauth2.grant_type': 'client_credentials',
    'oauth2.background': false,
    'oauth2.outcome': 'token',
  });
  expect(finished[0].status.code).toBe(SpanStatusCode.UNSET);
  let metrics = await collect();
  expect(total(metrics, 'oauth2.token.calls')).toBe(1);
  expect(total(metrics, 'oauth2.cache.misses')).toBe(20);
  expect(total(metrics, 'oauth2.cache.hits')).toBe(5);
  expect(total(metrics, 'oauth2.request.replays')).toBe(0);

  server.revokeAllTokens();
  await api.get('/users');

  finished = spans.getFinishedSpans();
  expect(finished).toHaveLength(2);
  metrics = await collect();
  expect(total(metrics, 'oauth2.token.calls')).toBe(2);
  expect(total(metrics, 'oauth2.request.replays')).toBe(1);
  // The replayed request was sent with the cached (revoked) token first: a hit; the replay does not route again.
  expect(total(metrics, 'oauth2.cache.hits')).toBe(6);
  const histogram = metrics.get('oauth2.token.fetch.duration');
  expect(histogram?.dataPointType).toBe(DataPointType.HISTOGRAM);
  const counts = histogram?.dataPoints.map((p) => (p.value as { count: number }).count);
  expect(counts).toEqual([2]);
  expect(server.counters.tokenCalls).toBe(2);
});

test('a lockout: the span ends in error with the error code; one lockout counted', async () => {
  const bad = axios.create({ baseURL: server.apiBaseUrl });
  // Without diagnosticsChannels(): this attachment publishes nothing, so nothing of it is recorded.
  const badAuth = attachOAuth2(bad, { tokenUrl: server.tokenUrl, clientId: server.clientId, clientSecret: 'wrong' });
  await bad.get('/users').catch(() => undefined);
  badAuth.detach();
  // The same client (the cache key holds no secret): only the locked attachment's spans are read below.
  spans.reset();

  auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    extensions: [diagnosticsChannels()],
  });
  await expect(api.get('/users')).rejects.toMatchObject({ code: 'OAUTH2_ACCOUNT_LOCKED' });

  const finished = spans.getFinishedSpans().filter((s) => s.attributes['oauth2.cache_key'] === auth.cacheKey);
  expect(finished).toHaveLength(1);
  expect(finished[0].status).toEqual({ code: SpanStatusCode.ERROR, message: 'OAUTH2_ACCOUNT_LOCKED' });
  expect(finished[0].attributes).toMatchObject({ 'oauth2.outcome': 'failed', 'error.type': 'OAUTH2_ACCOUNT_LOCKED' });
  expect(finished[0].events.map((e) => e.name)).toEqual(['exception']);
  const metrics = await collect();
  expect(total(metrics, 'oauth2.lockouts')).toBe(1);
  // Only the attachment with diagnosticsChannels() is observed: its locked fetch, not the refused one.
  expect(total(metrics, 'oauth2.token.calls')).toBe(1);
  expect(server.counters.tokenCalls).toBe(2);
});

test('uninstrumented: nothing more is recorded', async () => {
  uninstrument();
  auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    extensions: [diagnosticsChannels()],
  });
  await api.get('/users');
  expect(spans.getFinishedSpans()).toHaveLength(0);
  expect(total(await collect(), 'oauth2.token.calls')).toBe(0);
  uninstrument = () => undefined;
});
