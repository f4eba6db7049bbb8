import { ProofTargets } from '../../../src/features/dpop/proof-target';

/**
 * A proof's `htu` and origin come from a fast route for plain URLs (the origin remembered per
 * authority, the path taken as written). Whatever the URL, the answer must be the URL parser's:
 * `htu` = origin + pathname (no query, no fragment), undefined when the URL does not parse.
 */
function byUrlParser(url: string): { htu: string; origin: string } | undefined {
  try {
    const parsed = new URL(url);
    return { htu: `${parsed.origin}${parsed.pathname}`, origin: parsed.origin };
  } catch {
    return undefined;
  }
}

const URLS = [
  // Plain: the fast route.
  'https://api.example.com/v2.01/users/42',
  'https://api.example.com/v2.01/users/42?expand=all&token=secret',
  'https://api.example.com/users/42#section',
  'https://api.example.com',
  'https://api.example.com?q=1',
  'https://api.example.com/',
  'https://api.example.com//double//slashes/',
  "https://api.example.com/a-b_c.d~e!$&'()*+,;=:@/%41%zz",
  'https://api.example.com/users/.hidden/file..txt',
  'HTTPS://API.Example.COM:443/Case/Kept',
  'http://api.example.com:80/default-port',
  'http://127.0.0.1:8080/loopback',
  'https://[::1]:8443/ipv6',
  'https://user:pass@api.example.com/userinfo',
  'https://0x7f.1/hex-ipv4',
  // Dot segments (in any spelling): resolved by the parser.
  'https://api.example.com/a/./b',
  'https://api.example.com/a/../b',
  'https://api.example.com/a/..',
  'https://api.example.com/a/%2e/b',
  'https://api.example.com/a/%2E%2e/b',
  'https://api.example.com/a/.%2e',
  // Characters the parser encodes or rewrites.
  'https://api.example.com/a b',
  'https://api.example.com/a\tb',
  'https://api.example.com/a\nb',
  'https://api.example.com/caf\u00e9',
  'https://api.example.com/a"b<c>{d}`e',
  'https://api.example.com/a|b^c',
  'https://api.example.com\\back\\slash',
  'https://api.example.com/a\\b',
  ' https://api.example.com/leading-space',
  'https://api.example.com/trailing-space ',
  'https://api.example.com:65536/bad-port',
  'https://exa mple.com/space-in-host',
  'https://ex\u00e4mple.com/idn',
  'https:///three-slashes',
  'https:/one-slash',
  'https://',
  // Not http(s), or not absolute.
  'ftp://files.example.com/x',
  'wss://api.example.com/socket',
  '/relative/path',
  '',
];

it.each(URLS)('the target of %j is the URL parser’s', (url) => {
  const targets = new ProofTargets();
  expect(targets.of(url)).toEqual(byUrlParser(url));
  // Again, with the origin remembered.
  expect(targets.of(url)).toEqual(byUrlParser(url));
});

it('remembers origins per authority, bounded: many authorities in turn still get their own origin', () => {
  const targets = new ProofTargets();
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 100; i++) {
      const url = `https://host${i}.example.com:${8000 + i}/items/${round}`;
      expect(targets.of(url)).toEqual(byUrlParser(url));
    }
  }
});
