import { emit, type OAuth2Hooks } from '../options/hooks';
import { HOOK_NAMES } from '../options/option-keys';
import type { GrantOptions } from '../options/options';
import {
  CACHE_HIT_CHANNEL,
  CACHE_MISS_CHANNEL,
  hookChannelName,
  nodeDiagnostics,
  tokenTraceChannels,
  type ChannelLike,
  type DiagnosticsModule,
  type TokenTraceChannels,
} from './channels';

/** The message of the cache-hit and cache-miss channels: the same frozen object for every request. */
export interface CacheMessage {
  /** The attachment's cache key (a hash; no secret). */
  readonly cacheKey: string;
}

/**
 * The context object of one token fetch, published on every event of the token trace (the same
 * object, completed as the fetch goes: `outcome`, `expiresAt`, `error`, `errorCode`). Never holds a
 * token or a credential.
 */
export interface TokenTraceMessage {
  /** The attachment's cache key (a hash; no secret). */
  readonly cacheKey: string;
  /** The configured grant (a renewal through a refresh token reports `refresh_token` in `token-renewed`). */
  readonly grant: GrantOptions['type'];
  /** Whether a background (soft-window) refresh runs it: no caller waits. */
  readonly background: boolean;
  /** How the fetch ended: a token, a failure (`error`), or cancelled by `detach()`/`close()`. */
  outcome?: 'token' | 'failed' | 'detached';
  /** Epoch ms when the token obtained expires (outcome `token`, when the server said). */
  expiresAt?: number;
  /** The error the waiting callers get (outcome `failed` or `detached`): a typed, redacted `OAuth2Error`. */
  error?: unknown;
  /** `error.code` (e.g. `OAUTH2_TOKEN_ENDPOINT_ERROR`, `OAUTH2_ACCOUNT_LOCKED`). */
  errorCode?: string;
}

/**
 * Publishes one attachment's events to `node:diagnostics_channel`: the token trace, cache hits and
 * misses, and every hook event on the hook's channel (see {@link hookChannelName}). Nothing is built
 * when nobody subscribes: each publication is guarded by the channel's `hasSubscribers`.
 */
export class Observer {
  /** The hooks the plugin calls: the user's, each also published on its channel. */
  readonly hooks: OAuth2Hooks;
  readonly cacheHit: ChannelLike;
  readonly cacheMiss: ChannelLike;
  /** The message of both cache channels, made once. */
  readonly cacheMessage: CacheMessage;
  private readonly trace: TokenTraceChannels;

  constructor(
    readonly cacheKey: string,
    userHooks: OAuth2Hooks,
    private readonly grant: GrantOptions['type'],
    dc: DiagnosticsModule = nodeDiagnostics,
  ) {
    this.cacheHit = dc.channel(CACHE_HIT_CHANNEL);
    this.cacheMiss = dc.channel(CACHE_MISS_CHANNEL);
    this.cacheMessage = Object.freeze({ cacheKey });
    this.trace = tokenTraceChannels(dc);
    this.hooks = publishingHooks(userHooks, cacheKey, dc);
  }

  /** Whether anyone listens to the token trace. */
  private get tracing(): boolean {
    const { start, end, asyncStart, asyncEnd, error } = this.trace;
    return (
      start.hasSubscribers ||
      end.hasSubscribers ||
      asyncStart.hasSubscribers ||
      asyncEnd.hasSubscribers ||
      error.hasSubscribers
    );
  }

  /**
   * Runs `fetch` (one token fetch) inside the token trace, with `TracingChannel.tracePromise`'s
   * order: `start` (and the stores bound to it), `end` once `fetch` returned its promise, then on
   * settling `error` (on failure), `asyncStart`, `asyncEnd`. Without subscribers: `fetch()` alone.
   */
  traceFetch<T extends { expiresAt?: number }>(background: boolean, fetch: () => Promise<T>): Promise<T> {
    if (!this.tracing) return fetch();
    const { start, end, asyncStart, asyncEnd, error } = this.trace;
    const message: TokenTraceMessage = { cacheKey: this.cacheKey, grant: this.grant, background };
    const run = (): Promise<T> => {
      // Called at once (as tracePromise does); a synchronous throw becomes a rejection.
      const promise = (async () => fetch())();
      end.publish(message);
      return promise.then(
        (token) => {
          message.outcome = 'token';
          if (token.expiresAt !== undefined) message.expiresAt = token.expiresAt;
          asyncStart.publish(message);
          asyncEnd.publish(message);
          return token;
        },
        (failure: unknown) => {
          const code = (failure as { code?: unknown } | null)?.code;
          message.outcome = code === 'OAUTH2_DETACHED' ? 'detached' : 'failed';
          message.error = failure;
          if (typeof code === 'string') message.errorCode = code;
          error.publish(message);
          asyncStart.publish(message);
          asyncEnd.publish(message);
          throw failure;
        },
      );
    };
    if (start.runStores) return start.runStores(message, run);
    start.publish(message);
    return run();
  }
}

/**
 * The hooks the plugin calls: for each hook, a getter answering a function when the user set the
 * hook or its channel has subscribers (so `if (hooks.onX)` guards stay exact), which calls the user's
 * hook (as `emit` does: errors swallowed, `this` the user's object) and publishes
 * `{ cacheKey, ...payload }` on the hook's channel.
 */
function publishingHooks(user: OAuth2Hooks, cacheKey: string, dc: DiagnosticsModule): OAuth2Hooks {
  const hooks: OAuth2Hooks = {};
  for (const name of HOOK_NAMES) {
    const channel = dc.channel(hookChannelName(name));
    const forward = (event: object): void => {
      emit(user, name, event as never);
      if (channel.hasSubscribers) channel.publish({ cacheKey, ...event });
    };
    Object.defineProperty(hooks, name, {
      enumerable: true,
      get: () => (user[name] || channel.hasSubscribers ? forward : undefined),
    });
  }
  return hooks;
}

/** One token fetch in the token trace of `observer`, or `fetch()` alone without one (see {@link Observer.traceFetch}). */
export function traceTokenFetch<T extends { expiresAt?: number }>(
  observer: Observer | undefined,
  background: boolean,
  fetch: () => Promise<T>,
): Promise<T> {
  return observer ? observer.traceFetch(background, fetch) : fetch();
}

/** A channel nobody can subscribe to: the cache channels of an interceptor made without an observer. */
const SILENT: ChannelLike = Object.freeze({ hasSubscribers: false, publish: () => undefined });
const NO_MESSAGE: CacheMessage = Object.freeze({ cacheKey: '' });

/** The cache-hit and cache-miss channels of `observer` and their one message (silent ones without an observer). */
export function cacheChannels(observer: Observer | undefined): {
  hit: ChannelLike;
  miss: ChannelLike;
  message: CacheMessage;
} {
  return observer
    ? { hit: observer.cacheHit, miss: observer.cacheMiss, message: observer.cacheMessage }
    : { hit: SILENT, miss: SILENT, message: NO_MESSAGE };
}
