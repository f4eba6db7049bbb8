import axios from 'axios';
import { attachOAuth2, type OAuth2Handle } from '../../../src';
import { tenants } from '../../../src/features/tenants';

/**
 * The tenants held are bounded: by count (`maxTenants`, least recently used dropped first) and by
 * idle time (`idleMs`). Observed through the loader: a held tenant is not loaded again, a dropped one is.
 * `invalidate({ tenant })` loads a tenant without any token call (nothing is fetched).
 */
describe('tenants held are bounded', () => {
  let handle: OAuth2Handle | undefined;
  afterEach(() => handle?.detach());

  function attach(bounds: { maxTenants?: number; idleMs?: number }, clock?: { now: number }) {
    const loads: string[] = [];
    handle = attachOAuth2(axios.create(), {
      tokenUrl: 'https://auth.example.com/token',
      ...(clock && { clock: () => clock.now }),
      tenants: tenants({
        ...bounds,
        load: (tenant) => {
          loads.push(tenant);
          return { clientId: `client-${tenant}`, clientSecret: `secret-${tenant}` };
        },
      }),
    });
    return { auth: handle, loads };
  }

  it('with maxTenants 1,000, 100,000 distinct tenants in turn leave exactly the last 1,000 held', async () => {
    const { auth, loads } = attach({ maxTenants: 1_000 });
    for (let i = 0; i < 100_000; i++) await auth.invalidate({ tenant: `t${i}` });
    expect(loads).toHaveLength(100_000);
    // The last 1,000 are held: no load.
    for (let i = 99_000; i < 100_000; i++) await auth.invalidate({ tenant: `t${i}` });
    expect(loads).toHaveLength(100_000);
    // The one before them was dropped: loaded again (and, held now, it drops the oldest of the 1,000).
    await auth.invalidate({ tenant: 't98999' });
    expect(loads).toHaveLength(100_001);
    await auth.invalidate({ tenant: 't99000' });
    expect(loads).toHaveLength(100_002);
  });

  it('drops tenants unused for idleMs', async () => {
    const clock = { now: 1_000_000 };
    const { auth, loads } = attach({ idleMs: 60_000 }, clock);
    await auth.invalidate({ tenant: 'a' });
    await auth.invalidate({ tenant: 'b' });
    clock.now += 30_000;
    await auth.invalidate({ tenant: 'a' });
    clock.now += 29_999;
    await auth.invalidate({ tenant: 'c' });
    expect(loads).toEqual(['a', 'b', 'c']);
    clock.now += 1;
    // 'b' unused for 60 s, 'a' for 30 s: the next tenant's arrival drops 'b' alone.
    await auth.invalidate({ tenant: 'd' });
    await auth.invalidate({ tenant: 'a' });
    expect(loads).toEqual(['a', 'b', 'c', 'd']);
    await auth.invalidate({ tenant: 'b' });
    expect(loads).toEqual(['a', 'b', 'c', 'd', 'b']);
  });
});
