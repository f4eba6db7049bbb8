/**
 * The few Redis commands {@link RedisTokenStore} sends, as a structural type: an `ioredis` client
 * (`Redis` or `Cluster`) fits it as is, so this package needs no runtime dependency on ioredis;
 * another client fits through a small adapter such as {@link fromNodeRedis}.
 *
 * Replies follow RESP2 as ioredis returns them: a bulk string or `null` for GET, `'OK'` or `null`
 * for SET (with NX), an integer for DEL and for the store's scripts.
 */
export interface RedisClientLike {
  /** `GET key`: the string value, or `null` when the key does not exist. */
  get(key: string): Promise<string | null>;
  /** `SET key value`: no expiry. */
  set(key: string, value: string): Promise<unknown>;
  /** `SET key value PX milliseconds`: expires after `milliseconds`. */
  set(key: string, value: string, px: 'PX', milliseconds: number): Promise<unknown>;
  /** `SET key value PX milliseconds NX`: `'OK'` when set, `null` when the key already existed. */
  set(key: string, value: string, px: 'PX', milliseconds: number, nx: 'NX'): Promise<unknown>;
  /** `DEL key`. */
  del(key: string): Promise<unknown>;
  /** `EVAL script numKeys key… arg…`: runs a Lua script atomically. */
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  /**
   * Optional: `PUBLISH channel message`. With it, the store announces a token stored or the lock
   * released, so processes listening through {@link RedisTokenStoreOptions.subscriber} wake at once.
   */
  publish?(channel: string, message: string): Promise<unknown>;
}

/**
 * A Redis connection in subscriber mode, as ioredis provides it (`redis.duplicate()`): the store
 * subscribes to one channel per cache key and listens to `message` events. Dedicated to
 * subscriptions (a subscribed connection cannot send other commands); you own and close it.
 */
export interface RedisSubscriberLike {
  /** `SUBSCRIBE channel`. */
  subscribe(channel: string): Promise<unknown>;
  /** Registers the listener of published messages. */
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
}
