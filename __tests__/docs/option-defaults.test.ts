/**
 * The defaults docs/options.md states are the ones the code applies: each row of the options table
 * whose default is one literal (`600`, `'rfc6749'`, `true`, `{}`…) is compared with what
 * `resolveOptions` makes of a minimal attachment, in the option's own unit (seconds stay seconds).
 * reference.test.ts checks that every option is named; this checks what the page says of it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import axios from 'axios';
import { resolveOptions, type ResolvedOptions } from '../../src/options/validate-options';
import { DEFAULT_TOKEN_TIMEOUT_MS } from '../../src/http/server-transport';

const page = readFileSync(join(__dirname, '..', '..', 'docs', 'options.md'), 'utf8');

/** `option` → its default cell, from the table under "## Options". */
function defaultCells(): Map<string, string> {
  const table = page.slice(page.indexOf('## Options'), page.indexOf('\n\n', page.indexOf('| option')));
  const rows = new Map<string, string>();
  for (const line of table.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
    const name = /^`([\w.]+)`$/.exec(cells[1] ?? '')?.[1];
    if (name !== undefined) rows.set(name, cells[3]);
  }
  return rows;
}

/** The default as the code has it, in the unit of the option (what a user would pass). */
const ACTUAL: Record<string, (o: ResolvedOptions) => unknown> = {
  grant: (o) => o.grant,
  defaultTokenLifetimeSeconds: (o) => o.defaultTokenLifetimeMs / 1000,
  basicEncoding: (o) => o.basicEncoding,
  acceptTokenTypes: (o) => [...o.acceptTokenTypes],
  tokenRequestFormat: (o) => o.tokenRequestFormat,
  tokenRequestHeaders: (o) => o.tokenRequestHeaders,
  tokenRequestParams: (o) => o.tokenRequestParams,
  maxCachedTokens: (o) => o.maxCachedTokens,
  allowInsecureHttp: (o) => o.allowInsecureHttp,
  refreshSkewSeconds: (o) => o.refreshSkewMs / 1000,
  backgroundRefresh: (o) => o.backgroundRefresh,
  storeTimeoutMs: (o) => o.storeTimeoutMs,
  authorizationHeader: (o) => o.authorizationHeader,
  maxTokenResponseBytes: (o) => o.maxTokenResponseBytes,
  'retry.retries': (o) => o.retries,
  'retry.baseDelayMs': (o) => o.baseDelayMs,
  'retry.maxDelayMs': (o) => o.maxDelayMs,
  'lockout.initialCooldownMs': (o) => o.initialCooldownMs,
  'lockout.maxCooldownMs': (o) => o.maxCooldownMs,
  'lockout.maxRetryAfterMs': (o) => o.maxRetryAfterMs,
  'lockout.whileLocked': (o) => o.whileLocked,
  'rejection.windowMs': (o) => o.rejectionWindowMs,
  'rejection.initialCooldownMs': (o) => o.rejectionInitialCooldownMs,
  'rejection.maxCooldownMs': (o) => o.rejectionMaxCooldownMs,
  failureCacheMs: (o) => o.failureCacheMs,
  extensions: (o) => o.extensions,
  hooks: (o) => o.hooks,
};

/** The first code span of a cell as a value (`600`, `'form'`, `true`, `{}`, `['Bearer']`, `{ type: 'x' }`). */
function literal(cell: string): unknown {
  const code = /^`([^`]+)`/.exec(cell)?.[1];
  if (code === undefined) throw new Error(`no literal default in "${cell}"`);
  // A JavaScript literal as the page writes it: single quotes, unquoted keys.
  return JSON.parse(code.replace(/'/g, '"').replace(/([{,]\s*)(\w+):/g, '$1"$2":')) as unknown;
}

const resolved = resolveOptions(axios.create(), {
  tokenUrl: 'https://as.example/token',
  clientId: 'client',
  clientSecret: 'secret',
});
const cells = defaultCells();

test.each(Object.keys(ACTUAL))('%s: the default the page states is the one applied', (name) => {
  const cell = cells.get(name);
  expect(cell).toBeDefined();
  const stated = literal(cell as string);
  // Token types are compared in any case (the page writes `Bearer`, the code keeps them lower-cased).
  const expected = name === 'acceptTokenTypes' ? (stated as string[]).map((type) => type.toLowerCase()) : stated;
  expect(ACTUAL[name](resolved)).toEqual(expected);
});

test('tokenRequestTimeoutMs: "instance timeout, else 30000" is the transport default', () => {
  expect(cells.get('tokenRequestTimeoutMs')).toMatch(
    new RegExp(`^instance \`timeout\`, else \`${DEFAULT_TOKEN_TIMEOUT_MS}\``),
  );
  expect(resolved.tokenRequestTimeoutMs).toBeUndefined();
});

test('the prose default of the token lifetime agrees with the table', () => {
  expect(page).toContain(`\`defaultTokenLifetimeSeconds\` (${resolved.defaultTokenLifetimeMs / 1000})`);
});

test('every row with a literal default is checked (a new one needs an entry above)', () => {
  const literalRows = [...cells].filter(([, cell]) => /^`[^`]+`(\s*\(.*\))?$/.test(cell)).map(([name]) => name);
  expect(literalRows.filter((name) => !(name in ACTUAL))).toEqual([]);
});
