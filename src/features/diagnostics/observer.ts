import type { GrantOptions } from '../../options/options';
import type { AttachedExtension, AttachmentEventName, Probe } from '../../contracts/extension';
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
export class Observer implements AttachedExtension {
  readonly cacheHit: Probe;
  readonly cacheMiss: Probe;
  private readonly trace: TokenTraceChannels;
  private readonly hookChannels = new Map<AttachmentEventName, ChannelLike>();

  constructor(
    readonly cacheKey: string,
    private readonly grant: GrantOptions['type'],
    private readonly dc: DiagnosticsModule = nodeDiagnostics,
  ) {
    /** The message of both cache channels, made once. */
    const message: CacheMessage = Object.freeze({ cacheKey });
    this.cacheHit = probe(dc.channel(CACHE_HIT_CHANNEL), message);
    this.cacheMiss = probe(dc.channel(CACHE_MISS_CHANNEL), message);
    this.trace = tokenTraceChannels(dc);
  }

  /** The channel of hook event `name` (one object per name, from Node's registry). */
  private channelOf(name: AttachmentEventName): ChannelLike {
    let channel = this.hookChannels.get(name);
    if (!channel) {
      channel = this.dc.channel(hookChannelName(name));
      this.hookChannels.set(name, channel);
    }
    return channel;
  }

  /** Whether the hook event's channel has subscribers now. */
  listens(name: AttachmentEventName): boolean {
    return this.channelOf(name).hasSubscribers;
  }

  /** Publishes `{ cacheKey, ...payload }` on the hook event's channel. */
  event(name: AttachmentEventName, payload: object): void {
    const channel = this.channelOf(name);
    if (channel.hasSubscribers) channel.publish({ cacheKey: this.cacheKey, ...payload });
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

/** A cache channel as a probe: `publish()` sends the attachment's one frozen message. */
function probe(channel: ChannelLike, message: CacheMessage): Probe {
  return {
    get hasSubscribers() {
      return channel.hasSubscribers;
    },
    publish: () => channel.publish(message),
  };
}
