/**
 * One clock: `attachOAuth2` hands its `clock` to the store (`TokenStore.useClock`), so the Redis
 * store's TTLs and its pause after a failed command follow the plugin's clock, not `Date.now`.
 * A scripted client records the commands (failures cannot be shaped with a real server on demand).
 */
import axios from 'axios';
import { attachOAuth2, type StoredToken } from '../../src';
import { RedisTokenStore, type RedisClientLike } from '../../src/redis';

/** Far from `Date.now()`, so a store reading the wall clock shows. */
const EPOCH = 1_000_000_000;

class ScriptedClient implements RedisClientLike {
  readonly calls: unknown[][] = [];
  failing = false;
  get(key: string): Promise<string | null> {
    return this.record(['GET', key], null);
  }
  set(...args: unknown[]): Promise<unknown> {
    return this.record(['SET', ...args.slice(0, 1), ...args.slice(2)], 'OK');
  }
  del(key: string): Promise<unknown> {
    return this.record(['DEL', key], 1);
  }
  eval(): Promise<unknown> {
    return this.record(['EVAL'], 1);
  }
  private record<T>(call: unknown[], reply: T): Promise<T> {
    this.calls.push(call);
    return this.failing ? Promise.reject(new Error('connection lost')) : Promise.resolve(reply);
  }
}

function attach(store: RedisTokenStore, clock: () => number) {
  return attachOAuth2(axios.create(), {
    tokenUrl: 'http://127.0.0.1:1/token',
    clientId: 'id',
    clientSecret: 'secret',
    store,
    clock,
  });
}

const token = (expiresAt: number): StoredToken => ({
  accessToken: 'access-token-value',
  tokenType: 'Bearer',
  obtainedAt: expiresAt - 60_000,
  expiresAt,
});

describe("RedisTokenStore follows the plugin's clock", () => {
  test("TTLs are counted on the plugin's clock", async () => {
    const client = new ScriptedClient();
    const store = new RedisTokenStore(client);
    attach(store, () => EPOCH);
    await store.set('k', token(EPOCH + 60_000));
    expect(client.calls.map((c) => c.slice(2))).toEqual([['PX', 60_000]]);
  });

  test("the pause after a failed command lasts pauseAfterErrorMs of the plugin's clock", async () => {
    let now = EPOCH;
    const client = new ScriptedClient();
    const store = new RedisTokenStore(client, { pauseAfterErrorMs: 2_000 });
    attach(store, () => now);
    client.failing = true;
    await expect(store.get('k')).rejects.toThrow(/connection lost/);
    client.failing = false;
    now += 1_999;
    await expect(store.get('k')).rejects.toMatchObject({ message: expect.stringMatching(/skipped for 1 ms more/) });
    now += 1;
    await expect(store.get('k')).resolves.toBeUndefined();
    expect(client.calls).toEqual([
      ['GET', expect.any(String)],
      ['GET', expect.any(String)],
    ]);
  });

  test("a clock given to the store wins over the plugin's", async () => {
    const client = new ScriptedClient();
    const store = new RedisTokenStore(client, { clock: () => EPOCH + 10_000 });
    attach(store, () => EPOCH);
    await store.set('k', token(EPOCH + 60_000));
    expect(client.calls.map((c) => c.slice(2))).toEqual([['PX', 50_000]]);
  });
});
