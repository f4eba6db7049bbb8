/**
 * The error classes keep their names in the BUILT package, CommonJS and ESM alike: the class's own
 * `name`, the instance's `name`, and what `util.inspect` prints. Builds once (tsup, no declarations)
 * into a directory of its own, so it never races the tarball test over `dist/`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repo = path.resolve(__dirname, '..', '..');
let outDir: string;

/** Constructor arguments for every exported error class (a new class fails the key check below). */
const ARGS: Record<string, unknown[]> = {
  OAuth2Error: ['OAUTH2_DETACHED', 'm'],
  OAuth2OptionsError: ['clientId', 'm'],
  OAuth2RequestOptionsError: ['oauth2.scope', 'm'],
  TokenEndpointError: ['m', { transient: false, attempts: 1 }],
  AccountLockedError: [2_000, 1_000, {}],
  InvalidTokenResponseError: ['access_token', 'm', {}],
  ReplayNotPossibleError: ['m', { cause: null }],
  TokenRejectedError: [2_000, 1_000, { consecutive: 1 }],
  DetachedError: [],
  StoreTimeoutError: ['get', 100],
  GrantParametersError: ['m'],
  DPoPNonceError: ['api', 401],
  AssertionSourceError: ['expired', 'file /var/run/secrets/tokens/api', 'm'],
  UnknownTenantError: ['acme'],
  TenantLoadError: ['acme', 'threw', 'm'],
  DiscoveryError: ['m', { reason: 'unreachable', issuer: 'https://as.example', urls: [], retryAt: 2_000 }],
  RedisStoreError: ['GET', 'm', 'ECONNREFUSED'],
};

/** Reports, per exported `…Error` class of the entries (see ENTRIES), its names and inspect line. */
const REPORT = `
const util = require('node:util');
const ARGS = ${JSON.stringify(ARGS)};
const out = {};
for (const [key, value] of Object.entries(m)) {
  if (typeof value !== 'function' || !/Error$/.test(key)) continue;
  const error = new value(...(ARGS[key] || []));
  out[key] = { className: value.name, instanceName: error.name, inspect: util.inspect(error).split('\\n')[0] };
}
process.stdout.write(JSON.stringify(out));
`;

/** The built entries whose error classes are checked: the main entry and every subpath that exports one. */
const ENTRIES = ['index', 'redis/index', 'discovery/index'];

function load(format: 'cjs' | 'esm'): Record<string, { className: string; instanceName: string; inspect: string }> {
  const ext = format === 'cjs' ? 'js' : 'mjs';
  const files = JSON.stringify(ENTRIES.map((f) => path.join(outDir, `${f}.${ext}`)));
  const script =
    format === 'cjs'
      ? `const m = Object.assign({}, ...${files}.map((f) => require(f)));\n${REPORT}`
      : `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n` +
        `const m = Object.assign({}, ...(await Promise.all(${files}.map((f) => import(f)))));\n${REPORT}`;
  const args = format === 'cjs' ? ['-e'] : ['--input-type=module', '-e'];
  return JSON.parse(execFileSync(process.execPath, [...args, script], { cwd: repo, encoding: 'utf8' }));
}

beforeAll(() => {
  // Under node_modules so that the built files resolve axios (and the ESM build its chunks) as installed.
  fs.mkdirSync(path.join(repo, 'node_modules', '.cache'), { recursive: true });
  outDir = fs.mkdtempSync(path.join(repo, 'node_modules', '.cache', 'error-names-'));
  execFileSync(
    process.execPath,
    [path.join(repo, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--out-dir', outDir, '--no-dts'],
    {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}, 120_000);

afterAll(() => {
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

describe.each(['cjs', 'esm'] as const)('the %s build', (format) => {
  test('every exported error class: class name, instance name and util.inspect name the class', () => {
    const seen = load(format);
    const trimmed = Object.fromEntries(
      Object.entries(seen).map(([key, names]) => [key, { ...names, inspect: names.inspect.slice(0, key.length + 1) }]),
    );
    const expected = Object.fromEntries(
      Object.keys(ARGS).map((key) => [key, { className: key, instanceName: key, inspect: `${key}:` }]),
    );
    expect(trimmed).toEqual(expected);
  });
});
