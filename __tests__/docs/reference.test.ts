/**
 * The reference pages name everything the sources define, so nothing is left undocumented: every
 * option (nested ones included) in docs/options.md, every error class and code in docs/errors.md,
 * every hook and channel in docs/observability.md, every option and member of the embedded server in
 * docs/testing-server.md, every RedisTokenStore option in docs/redis.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as main from '../../src';
import { CHANNEL_NAMES } from '../../src/features/diagnostics';
import * as discovery from '../../src/features/discovery';
import * as redis from '../../src/redis';
import { HOOK_NAMES } from '../../src/events/hooks';
import { LOCKOUT_KEYS, OPTION_KEYS, REJECTION_KEYS, RETRY_KEYS } from '../../src/options/option-keys';

const ROOT = join(__dirname, '../..');
const page = (path: string) => readFileSync(join(ROOT, path), 'utf8');
/** The names a page does not mention as code (`name`, or `name` inside a longer code span). */
const missing = (names: readonly string[], text: string) =>
  names.filter((name) => !new RegExp(`\`[^\`\\n]*\\b${name.replace(/[.$]/g, '\\$&')}\\b[^\`\\n]*\``).test(text));

/** Property names of an exported interface, read from its source. */
function interfaceKeys(file: string, name: string): string[] {
  const source = page(file);
  const start = source.indexOf(`export interface ${name} {`);
  if (start < 0) throw new Error(`no interface ${name} in ${file}`);
  const body = source.slice(start, source.indexOf('\n}', start));
  return [...body.matchAll(/^ {2}(?:readonly )?(\w+)\??[:(]/gm)].map((match) => match[1]);
}

test('docs/options.md: every option of attachOAuth2, nested ones included', () => {
  const nested = [
    ...RETRY_KEYS.map((key) => `retry.${key}`),
    ...LOCKOUT_KEYS.map((key) => `lockout.${key}`),
    ...REJECTION_KEYS.map((key) => `rejection.${key}`),
  ];
  expect(missing([...OPTION_KEYS, ...nested], page('docs/options.md'))).toEqual([]);
});

test('docs/errors.md: every error class the package exports, and its code', () => {
  const classes = [main, discovery, redis].flatMap((entry) =>
    Object.keys(entry).filter((name) => /Error$/.test(name) && name !== 'OAuth2Error'),
  );
  expect(classes.length).toBeGreaterThan(10);
  const codes = classes
    .map((name) => (main as Record<string, unknown>)[name] ?? (discovery as Record<string, unknown>)[name])
    .filter((value): value is new (...args: never[]) => { code: string } => typeof value === 'function')
    .flatMap((constructor) => {
      const code = (constructor.prototype as { code?: unknown }).code;
      return typeof code === 'string' ? [code] : [];
    });
  expect(missing(classes, page('docs/errors.md'))).toEqual([]);
  expect(missing(codes, page('docs/errors.md'))).toEqual([]);
  // Codes assigned in constructors are not on the prototype: the type's members are the list.
  const errorCodes = [...page('src/errors.ts').matchAll(/^ {2}\| '(OAUTH2_[A-Z_]+)'/gm)].map((match) => match[1]);
  expect(errorCodes.length).toBeGreaterThan(10);
  expect(missing(errorCodes, page('docs/errors.md'))).toEqual([]);
});

test('docs/observability.md: every hook and every channel', () => {
  const text = page('docs/observability.md');
  expect(missing([...HOOK_NAMES], text)).toEqual([]);
  const channels = CHANNEL_NAMES.map((name) => name.replace('axios-oauth2-bearer:', ''));
  expect(missing(channels, text)).toEqual([]);
});

test('docs/testing-server.md: every option and member of the embedded server', () => {
  const text = page('docs/testing-server.md');
  expect(missing(interfaceKeys('src/testing/types.ts', 'AuthServerOptions'), text)).toEqual([]);
  expect(missing(interfaceKeys('src/testing/types.ts', 'AuthServer'), text)).toEqual([]);
});

test('docs/redis.md: every RedisTokenStore option', () => {
  expect(missing(interfaceKeys('src/redis/options.ts', 'RedisTokenStoreOptions'), page('docs/redis.md'))).toEqual([]);
});
