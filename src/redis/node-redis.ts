import type { RedisClientLike, RedisSubscriberLike } from './client';

/**
 * The part of a `redis` (node-redis v4 or v5) standalone client the adapter uses:
 * `sendCommand(['CMD', …args])`, which both major versions provide with RESP2 replies.
 */
export interface NodeRedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
}

/**
 * Adapts a connected `redis` (node-redis) client to {@link RedisClientLike}, so a
 * {@link RedisTokenStore} can use it: `new RedisTokenStore(fromNodeRedis(client))`.
 * Every command is sent raw through `sendCommand`, which avoids the option objects that changed
 * between node-redis versions. (A node-redis cluster client has another `sendCommand` signature
 * and is not supported by this adapter.)
 */
export function fromNodeRedis(client: NodeRedisClientLike): RedisClientLike {
  const send = (...args: string[]) => client.sendCommand(args);
  return {
    get: async (key: string) => {
      const value = await send('GET', key);
      if (value === null || value === undefined || typeof value === 'string') return value ?? null;
      if (Buffer.isBuffer(value)) return value.toString('utf8');
      throw new TypeError(`fromNodeRedis: unexpected GET reply (${typeof value})`);
    },
    set: (key: string, value: string, ...options: (string | number)[]) =>
      send('SET', key, value, ...options.map(String)),
    del: (key: string) => send('DEL', key),
    eval: (script: string, numKeys: number, ...keysAndArgs: string[]) =>
      send('EVAL', script, String(numKeys), ...keysAndArgs),
    publish: (channel: string, message: string) => send('PUBLISH', channel, message),
  };
}

/** The part of a node-redis (v4 or v5) client in subscriber mode the adapter uses. */
export interface NodeRedisSubscriberLike {
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
}

/**
 * Adapts a connected node-redis client dedicated to pub/sub (`client.duplicate()`, connected) to
 * {@link RedisSubscriberLike}, for the `subscriber` option of {@link RedisTokenStore}.
 */
export function fromNodeRedisSubscriber(client: NodeRedisSubscriberLike): RedisSubscriberLike {
  const listeners: ((channel: string, message: string) => void)[] = [];
  return {
    subscribe: (channel: string) =>
      client.subscribe(channel, (message, name) => {
        for (const listener of listeners) listener(name, message);
      }),
    on: (_event: 'message', listener: (channel: string, message: string) => void) => listeners.push(listener),
  };
}
