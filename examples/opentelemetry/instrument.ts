/**
 * OpenTelemetry for axios-oauth2-bearer in a few lines: subscribes to the plugin's
 * `node:diagnostics_channel` publications and turns them into
 * - one span `oauth2.token.fetch` per token fetch from the endpoint (however many callers waited),
 * - counters `oauth2.token.calls`, `oauth2.request.replays`, `oauth2.lockouts`, `oauth2.cache.hits`,
 *   `oauth2.cache.misses` (hit ratio = hits / (hits + misses)),
 * - a histogram `oauth2.token.fetch.duration` (seconds).
 *
 * The attachments publish only with the `diagnosticsChannels()` extension
 * (`extensions: [diagnosticsChannels()]`, from 'axios-oauth2-bearer/diagnostics').
 *
 * Only `@opentelemetry/api` is needed here; the application brings its SDK (exporters, readers).
 * In an application, import from 'axios-oauth2-bearer/diagnostics' instead of '../../src/features/diagnostics'.
 */
import dc from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import {
  metrics,
  SpanStatusCode,
  trace,
  type Attributes,
  type MeterProvider,
  type Span,
  type TracerProvider,
} from '@opentelemetry/api';
import { TOKEN_TRACE_CHANNEL, type CacheMessage, type TokenTraceMessage } from '../../src/features/diagnostics';

export interface InstrumentOptions {
  /** @default the global tracer provider (`trace.getTracerProvider()`) */
  tracerProvider?: TracerProvider;
  /** @default the global meter provider (`metrics.getMeterProvider()`) */
  meterProvider?: MeterProvider;
}

const SCOPE = 'axios-oauth2-bearer';
const channel = (event: string) => `${SCOPE}:${event}`;

/** The attributes of a token fetch: no secret (the cache key is a hash). */
function fetchAttributes(message: TokenTraceMessage): Attributes {
  const attributes: Attributes = {
    'oauth2.cache_key': message.cacheKey,
    'oauth2.grant_type': message.grant,
    'oauth2.background': message.background,
  };
  if (message.outcome !== undefined) attributes['oauth2.outcome'] = message.outcome;
  if (message.errorCode !== undefined) attributes['error.type'] = message.errorCode;
  return attributes;
}

/**
 * Subscribes the spans and metrics to the plugin's channels (every attachment of the process).
 * @returns the function that unsubscribes them all.
 */
export function instrumentOAuth2(options: InstrumentOptions = {}): () => void {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE);
  const tokenCalls = meter.createCounter('oauth2.token.calls', { description: 'Token fetches from the endpoint' });
  const duration = meter.createHistogram('oauth2.token.fetch.duration', {
    description: 'Duration of a token fetch (retries included)',
    unit: 's',
  });
  const replays = meter.createCounter('oauth2.request.replays', { description: 'Requests replayed after a 401' });
  const lockouts = meter.createCounter('oauth2.lockouts', { description: 'Lockout cool-downs opened' });
  const hits = meter.createCounter('oauth2.cache.hits', { description: 'Requests served a cached token' });
  const misses = meter.createCounter('oauth2.cache.misses', { description: 'Requests that waited for a token' });

  /** The span and start time of each fetch in progress, by its trace message (the same object on every event). */
  const fetches = new WeakMap<object, { span: Span; started: number }>();
  const traceHandlers = {
    start: (message: unknown) => {
      const m = message as TokenTraceMessage;
      fetches.set(m, {
        span: tracer.startSpan('oauth2.token.fetch', { attributes: fetchAttributes(m) }),
        started: performance.now(),
      });
    },
    asyncEnd: (message: unknown) => {
      const m = message as TokenTraceMessage;
      const fetch = fetches.get(m);
      if (!fetch) return;
      fetches.delete(m);
      const attributes = fetchAttributes(m);
      fetch.span.setAttributes(attributes);
      if (m.outcome !== 'token') {
        if (m.error instanceof Error) fetch.span.recordException(m.error);
        fetch.span.setStatus({ code: SpanStatusCode.ERROR, message: m.errorCode });
      }
      fetch.span.end();
      tokenCalls.add(1, attributes);
      duration.record((performance.now() - fetch.started) / 1000, attributes);
    },
  };

  const plain: Array<[string, (message: unknown) => void]> = [
    [channel('cache-hit'), (m) => hits.add(1, { 'oauth2.cache_key': (m as CacheMessage).cacheKey })],
    [channel('cache-miss'), (m) => misses.add(1, { 'oauth2.cache_key': (m as CacheMessage).cacheKey })],
    [channel('request-replayed'), (m) => replays.add(1, { 'oauth2.cache_key': (m as CacheMessage).cacheKey })],
    [channel('lockout-opened'), (m) => lockouts.add(1, { 'oauth2.cache_key': (m as CacheMessage).cacheKey })],
  ];
  // Node lines without TracingChannel get the trace on plain channels `axios-oauth2-bearer:token:<event>`.
  const traced = typeof dc.tracingChannel === 'function' ? dc.tracingChannel(TOKEN_TRACE_CHANNEL) : undefined;
  if (traced) traced.subscribe(traceHandlers as never);
  else {
    plain.push([`${TOKEN_TRACE_CHANNEL}:start`, traceHandlers.start]);
    plain.push([`${TOKEN_TRACE_CHANNEL}:asyncEnd`, traceHandlers.asyncEnd]);
  }
  for (const [name, listener] of plain) dc.subscribe(name, listener);

  return () => {
    if (traced) traced.unsubscribe(traceHandlers as never);
    for (const [name, listener] of plain) dc.unsubscribe(name, listener);
  };
}
