import * as diagnostics from 'node:diagnostics_channel';
import type { OAuth2Hooks } from '../../events/hooks';
import { HOOK_NAMES } from '../../events/hooks';

/** Prefix of every `node:diagnostics_channel` name the plugin publishes to. */
export const CHANNEL_PREFIX = 'axios-oauth2-bearer';

/**
 * Name of the `TracingChannel` around one token fetch (the shared flight: one trace per fetch from
 * the endpoint, however many callers wait for it). Its channels are Node's
 * `tracing:axios-oauth2-bearer:token:start|end|asyncStart|asyncEnd|error`; on a Node without
 * `diagnostics_channel.tracingChannel`, the same messages go to the plain channels
 * `axios-oauth2-bearer:token:start|end|asyncStart|asyncEnd|error`.
 */
export const TOKEN_TRACE_CHANNEL = `${CHANNEL_PREFIX}:token`;

/** A request found a usable token cached (sent at once, the hot path). */
export const CACHE_HIT_CHANNEL = `${CHANNEL_PREFIX}:cache-hit`;
/** A request found no usable token cached and waits for one (the shared fetch, or a store read). */
export const CACHE_MISS_CHANNEL = `${CHANNEL_PREFIX}:cache-miss`;

/** The channel of one hook: `onTokenAcquired` → `axios-oauth2-bearer:token-acquired`. */
export function hookChannelName(hook: keyof OAuth2Hooks): string {
  const event = hook.slice(2).replace(/[A-Z]/g, (letter, at: number) => `${at > 0 ? '-' : ''}${letter.toLowerCase()}`);
  return `${CHANNEL_PREFIX}:${event}`;
}

/**
 * Every plain channel the plugin publishes to: `cache-hit`, `cache-miss`, and one per hook
 * (`token-acquired`, `token-renewed`, `request-replayed`, `lockout-opened`, `lockout-closed`,
 * `token-endpoint-failure`, `rejection-storm-opened`, `rejection-storm-closed`, `store-error`,
 * `request-skipped`, `revocation-failed`), each prefixed `axios-oauth2-bearer:`. The token trace is
 * {@link TOKEN_TRACE_CHANNEL}.
 */
export const CHANNEL_NAMES: readonly string[] = Object.freeze([
  CACHE_HIT_CHANNEL,
  CACHE_MISS_CHANNEL,
  ...HOOK_NAMES.map(hookChannelName),
]);

/** The parts of `node:diagnostics_channel` the plugin uses (a Node without `tracingChannel` lacks it). */
export interface DiagnosticsModule {
  channel(name: string): ChannelLike;
  tracingChannel?: (name: string) => Record<TraceEvent, ChannelLike>;
}

/** A `diagnostics_channel` Channel, as the plugin uses it. */
export interface ChannelLike {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
  /** Publishes and runs `fn` in the stores bound to the channel (Node ≥ 19.9 / 18.19). */
  runStores?: <T>(message: unknown, fn: () => T) => T;
}

/** The five events of a trace, as Node's `TracingChannel` names them. */
export const TRACE_EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;
export type TraceEvent = (typeof TRACE_EVENTS)[number];

/** The channels of the token trace: Node's `TracingChannel` when there is one, else plain channels. */
export type TokenTraceChannels = Readonly<Record<TraceEvent, ChannelLike>>;

/**
 * The token trace's channels from `dc`: `dc.tracingChannel(TOKEN_TRACE_CHANNEL)` where it exists,
 * else the plain channels `axios-oauth2-bearer:token:<event>` (feature detection, not a version test).
 */
export function tokenTraceChannels(dc: DiagnosticsModule): TokenTraceChannels {
  if (typeof dc.tracingChannel === 'function') {
    const traced = dc.tracingChannel(TOKEN_TRACE_CHANNEL);
    return {
      start: traced.start,
      end: traced.end,
      asyncStart: traced.asyncStart,
      asyncEnd: traced.asyncEnd,
      error: traced.error,
    };
  }
  const plain = (event: TraceEvent) => dc.channel(`${TOKEN_TRACE_CHANNEL}:${event}`);
  return {
    start: plain('start'),
    end: plain('end'),
    asyncStart: plain('asyncStart'),
    asyncEnd: plain('asyncEnd'),
    error: plain('error'),
  };
}

const node = diagnostics as unknown as DiagnosticsModule;

/**
 * Node's channel object of every plain channel the plugin publishes to, and its token trace, made
 * once when this module loads and held for the life of the process (constants, never replaced).
 *
 * Held because Node's registry holds a channel only weakly and, on Node 20, forgets a name when an
 * earlier object of that name is collected, even after a new one was made: a subscriber added with
 * `subscribe(name, fn)` between the collection and its finalizer then listens on an object nobody
 * publishes to, and misses every message. An attachment's channel objects going away with it
 * (detached, collected) was enough for that; these are never collected.
 */
const PLAIN_CHANNELS: ReadonlyMap<string, ChannelLike> = new Map(
  CHANNEL_NAMES.map((name) => [name, node.channel(name)]),
);
const TOKEN_TRACE: TokenTraceChannels = Object.freeze(tokenTraceChannels(node));

/**
 * Node's `diagnostics_channel`, as the plugin uses it: the channels of the plugin's names are the
 * objects held by this module (see above); any other name is looked up in Node's registry.
 */
export const nodeDiagnostics: DiagnosticsModule = Object.freeze({
  channel: (name: string): ChannelLike => PLAIN_CHANNELS.get(name) ?? node.channel(name),
  tracingChannel:
    typeof node.tracingChannel === 'function'
      ? (name: string) => (name === TOKEN_TRACE_CHANNEL ? TOKEN_TRACE : node.tracingChannel!(name))
      : undefined,
});
