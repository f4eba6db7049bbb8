/**
 * Hot-path cost of token exchange (RFC 8693): a request whose exchanged token is cached (its subject
 * named per request: a keyed hash of the subject token, the LRU touch, the expiry check) vs the plain
 * hot path of an attachment without token exchange (which pays nothing for it), both against a static
 * header in the same interleaved rounds. Two subject mixes: one subject, and 100 subjects in turn.
 */
import axios, { type AxiosAdapter } from 'axios';
import { tokenExchange, TOKEN_TYPES } from '../src/features/token-exchange';
import { instantAdapter, staticHeader, withPlugin } from './hot-path';
import { compare } from './measure';

let pathCounter = 0;
const nextPath = () => `/users/${(pathCounter = (pathCounter + 1) % 1000)}`;

/** A token endpoint answering at once with an hour-long exchanged token. */
const exchangeAdapter: AxiosAdapter = async (config) => ({
  data: JSON.stringify({
    access_token: `bench-token-${Math.random().toString(36).slice(2)}`,
    token_type: 'bearer',
    expires_in: 3600,
    issued_token_type: TOKEN_TYPES.accessToken,
  }),
  status: 200,
  statusText: 'OK',
  headers: { 'content-type': 'application/json' },
  config,
  request: {},
});

/** A subject token shaped like a real one (a JWT-sized opaque string, about 900 characters). */
const subjectToken = (i: number) => `subject-${i}-${'x'.repeat(900)}`;

export async function tokenExchangeCost(count: number, rounds: number) {
  const base = 'https://api.bench.local/v2.01/bench';
  const floor = staticHeader(base, instantAdapter);
  const plain = await withPlugin(base, instantAdapter);
  const exchanging = axios.create({ baseURL: base, adapter: instantAdapter });
  const { attachOAuth2 } = await import('../src');
  const auth = attachOAuth2(exchanging, {
    tokenUrl: 'https://auth.bench.local/oauth/token',
    clientId: 'bench',
    clientSecret: 'bench-secret',
    apiOrigins: [new URL(base).origin],
    tokenHttpClient: axios.create({ adapter: exchangeAdapter }),
    grant: tokenExchange({ subjectTokenType: TOKEN_TYPES.accessToken }),
  });
  const subjects = Array.from({ length: 100 }, (_, i) => subjectToken(i));
  for (const s of subjects) await auth.getAccessToken({ subjectToken: s });
  let turn = 0;
  const result = await compare(
    {
      static: () => floor.get(nextPath()),
      plain: () => plain.get(nextPath()),
      // The cost of per-request options alone (axios merges `oauth2`, the plugin checks it): a baseline for the next two.
      'plain, oauth2.scope': () => plain.get(nextPath(), { oauth2: { scope: 'bench' } }),
      'exchange, 1 subject': () => exchanging.get(nextPath(), { oauth2: { subjectToken: subjects[0] } }),
      'exchange, 100 subjects': () =>
        exchanging.get(nextPath(), { oauth2: { subjectToken: subjects[(turn = (turn + 1) % 100)] } }),
    },
    { count, rounds },
  );
  auth.detach();
  /** µs per request of a variant (median ops/s). */
  const us = (name: string) => 1e6 / result.ops[name];
  return {
    ...result,
    extraUs: {
      one: us('exchange, 1 subject') - us('plain'),
      hundred: us('exchange, 100 subjects') - us('plain'),
      perRequestOptions: us('plain, oauth2.scope') - us('plain'),
    },
  };
}
