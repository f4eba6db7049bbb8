// Observability with OpenTelemetry: one span per token fetch, from the plugin's diagnostics channels.
import dc from 'node:diagnostics_channel';
import axios from 'axios';
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { attachOAuth2 } from 'axios-oauth2-bearer';
import { diagnosticsChannels, TOKEN_TRACE_CHANNEL, type TokenTraceMessage } from 'axios-oauth2-bearer/diagnostics';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

// Your application's SDK setup (here: spans kept in memory, to print them).
const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

// One span per token fetch, however many requests wait for it.
const tracer = trace.getTracer('axios-oauth2-bearer');
const spans = new WeakMap<TokenTraceMessage, Span>();
dc.tracingChannel<unknown, TokenTraceMessage>(TOKEN_TRACE_CHANNEL).subscribe({
  start: (m) =>
    void spans.set(m, tracer.startSpan('oauth2.token.fetch', { attributes: { 'oauth2.grant_type': m.grant } })),
  end: () => undefined,
  asyncStart: () => undefined,
  asyncEnd: (m) => {
    const span = spans.get(m);
    span?.setAttribute('oauth2.outcome', m.outcome ?? 'unknown');
    if (m.outcome !== 'token') span?.setStatus({ code: SpanStatusCode.ERROR, message: m.errorCode });
    span?.end();
  },
  error: () => undefined,
});
const misses = { count: 0 };
dc.subscribe('axios-oauth2-bearer:cache-miss', () => void (misses.count += 1));

const server = await startAuthServer();
const api = axios.create({ baseURL: server.apiBaseUrl });
const auth = attachOAuth2(api, {
  tokenUrl: server.tokenUrl,
  clientId: server.clientId,
  clientSecret: server.clientSecret,
  extensions: [diagnosticsChannels()], // without it nothing is published
});
await Promise.all(Array.from({ length: 10 }, () => api.get('/users/1')));

for (const span of exporter.getFinishedSpans()) console.log(span.name, JSON.stringify(span.attributes));
console.log('cache misses:', misses.count);

await auth.close();
await server.close();
// Prints:
// oauth2.token.fetch {"oauth2.grant_type":"client_credentials","oauth2.outcome":"token"}
// cache misses: 10
