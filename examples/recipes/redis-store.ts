// One token for a fleet of processes: RedisTokenStore (npm install ioredis). Run it with REDIS_URL set.
import axios from 'axios';
import { Redis } from 'ioredis';
import { attachOAuth2, mangopay } from 'axios-oauth2-bearer';
import { RedisTokenStore } from 'axios-oauth2-bearer/redis';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

const server = await startAuthServer({ clientId: 'my-client', clientSecret: 'my-api-key' });

// maxRetriesPerRequest: 1 makes commands fail quickly while Redis is away instead of queueing for
// seconds; the 'error' listener stops ioredis from logging every reconnection attempt.
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
redis.on('error', () => {}); // failures reach you through the onStoreError hook below

// Two "processes" (two attachments, each with its own store object) share one token through Redis.
const preset = mangopay({ baseURL: server.url, clientId: 'my-client', apiKey: 'my-api-key' }); // or environment: 'production'
const handles = [1, 2].map(() => {
  const api = axios.create({ baseURL: preset.baseURL });
  const auth = attachOAuth2(api, {
    ...preset,
    store: new RedisTokenStore(redis, { prefix: `recipe-${process.pid}:` }), // a prefix per run: this demo starts cold
    hooks: { onStoreError: ({ operation, error }) => console.warn(`token cache unavailable (${operation}):`, error) },
  });
  return { api, auth };
});
for (const { api } of handles) await api.get('/users/1');
console.log('token calls:', server.counters.tokenCalls);

for (const { auth } of handles) await auth.close();
redis.disconnect();
await server.close();
// Prints:
// token calls: 1
