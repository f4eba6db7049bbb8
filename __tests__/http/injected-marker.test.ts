/**
 * The skip marker's counterpart on the API side (`src/http/injected-marker.ts`), as a unit: which
 * `Authorization` value an attachment put into a request config, recognised only for that
 * attachment and only while the header still holds it (AxiosHeaders, another copy's duck-typed
 * headers, or a plain object), and the token entry it came from.
 */
import { inspect } from 'node:util';
import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { injectedAuthorization, injectedMarker, injectedSource, markInjected } from '../../src/http/injected-marker';

const HEADER = 'Bearer marker-token-1';

function configWith(headers: unknown): InternalAxiosRequestConfig {
  return { headers } as InternalAxiosRequestConfig;
}

describe('injectedAuthorization', () => {
  const owner = {};
  const other = {};

  it('gives the header the owner injected, read through AxiosHeaders', () => {
    const config = configWith(new AxiosHeaders({ Authorization: HEADER }));
    markInjected(config, injectedMarker(HEADER, owner));
    expect(injectedAuthorization(config, owner)).toBe(HEADER);
  });

  it('reads plain-object headers too (no get function)', () => {
    const config = configWith({ Authorization: HEADER });
    markInjected(config, injectedMarker(HEADER, owner));
    expect(injectedAuthorization(config, owner)).toBe(HEADER);
  });

  it('reads duck-typed headers of another axios copy through their get', () => {
    const foreign = { get: (name: string) => (name === 'Authorization' ? HEADER : undefined) };
    const config = configWith(foreign);
    markInjected(config, injectedMarker(HEADER, owner));
    expect(injectedAuthorization(config, owner)).toBe(HEADER);
  });

  it('is undefined for another attachment, an unmarked config, changed or missing headers', () => {
    const config = configWith(new AxiosHeaders({ Authorization: HEADER }));
    expect(injectedAuthorization(config, owner)).toBeUndefined();
    markInjected(config, injectedMarker(HEADER, owner));
    expect(injectedAuthorization(config, other)).toBeUndefined();
    (config.headers as AxiosHeaders).set('Authorization', 'Bearer someone-else');
    expect(injectedAuthorization(config, owner)).toBeUndefined();
    const bare = configWith(undefined);
    markInjected(bare, injectedMarker(HEADER, owner));
    expect(injectedAuthorization(bare, owner)).toBeUndefined();
  });

  it('hides the value from JSON.stringify and util.inspect of the config', () => {
    const config = configWith({});
    markInjected(config, injectedMarker(HEADER, owner));
    expect(JSON.stringify(config)).not.toContain('marker-token-1');
    expect(inspect(config, { depth: 10, showHidden: true })).not.toContain('marker-token-1');
  });
});

describe('injectedSource', () => {
  const owner = {};

  it('is the token entry given, for its owner only', () => {
    const entry = {};
    const config = {};
    markInjected(config, injectedMarker(HEADER, owner, entry));
    expect(injectedSource(config, owner)).toBe(entry);
    expect(injectedSource(config, {})).toBeUndefined();
  });

  it('is the owner itself when no entry was given, and undefined on an unmarked config', () => {
    const config = {};
    expect(injectedSource(config, owner)).toBeUndefined();
    markInjected(config, injectedMarker(HEADER, owner));
    expect(injectedSource(config, owner)).toBe(owner);
  });
});
