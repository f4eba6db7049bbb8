/**
 * Renewal ahead of expiry over real loopback HTTP: tokens living 3 s, `refreshSkewSeconds: 1`.
 * Real time is involved, so the assertions hold for any scheduling delay below ~1 s.
 */
import { startAuthServer, type AuthServer } from '../../src/testing';
import type { TokenEvent } from '../../src';
import { mangopayClient, sleep } from './loopback';

describe('integration (loopback): renewal ahead of expiry', () => {
  let server: AuthServer;
  beforeEach(async () => {
    server = await startAuthServer({ tokenLifetimeSeconds: 3 });
  });
  afterEach(() => server.close());

  it('a token nearing expiry is renewed before it expires: 0 failed calls and 0 invalidTokens over 4 s of calls', async () => {
    const renewals: TokenEvent[] = [];
    const { api } = mangopayClient(server, {
      refreshSkewSeconds: 1,
      hooks: { onTokenRenewed: (e) => renewals.push(e) },
    });
    let failed = 0;
    let made = 0;
    const until = Date.now() + 4_000;
    while (Date.now() < until) {
      made += 1;
      await api.get('/wallets').catch(() => (failed += 1));
      await sleep(50);
    }

    expect(failed).toBe(0);
    expect(server.counters).toMatchObject({ apiCalls: made, apiSuccesses: made, invalidTokens: 0, api401: 0 });
    // 3 s tokens over 4 s: the first one had to be replaced, and renewals never come faster than
    // half a lifetime (hard window at expiry − 1 s, soft window 300 ms before that): 2 or 3 tokens.
    const tokens = server.issuedTokens();
    expect(server.counters.tokenCalls).toBe(tokens.length);
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(tokens.length).toBeLessThanOrEqual(3);
    expect(renewals).toHaveLength(tokens.length - 1);
    for (let i = 1; i < tokens.length; i++) {
      // Each successor was issued before its predecessor expired, and not before mid-life.
      expect(tokens[i].issuedAt).toBeLessThan(tokens[i - 1].expiresAt);
      expect(tokens[i].issuedAt - tokens[i - 1].issuedAt).toBeGreaterThanOrEqual(1_500);
    }
  });
});
