/**
 * Packs the package, installs the tarball into temporary projects with the lowest and the newest
 * supported axios, and uses it there via require, via import, and from TypeScript (node16 and bundler).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(__dirname, '..', '..');
const consumer = path.join(__dirname, 'consumer');
const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
/** Lowest axios 1.x release the peer range (`^1.2.0`) admits, and the newest (the one the repo locks). */
const AXIOS_LOWEST = '1.2.0';
const AXIOS_NEWEST: string = JSON.parse(
  fs.readFileSync(path.join(repo, 'node_modules', 'axios', 'package.json'), 'utf8'),
).version;

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_loglevel: 'error' },
  });

let workdir: string;
let tarball: string;

beforeAll(() => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'axios-oauth2-bearer-pkg-'));
  run('npm', ['pack', '--pack-destination', workdir], repo); // prepack builds dist/
  tarball = path.join(workdir, fs.readdirSync(workdir).find((f) => f.endsWith('.tgz')) as string);
}, 180_000);

afterAll(() => {
  if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
});

test('the tarball ships the LICENSE (MIT) next to the README and dist/', () => {
  const entries = run('tar', ['-tzf', tarball], workdir).split('\n');
  expect(entries).toEqual(expect.arrayContaining(['package/LICENSE', 'package/README.md', 'package/package.json']));
  const license = fs.readFileSync(path.join(repo, 'LICENSE'), 'utf8');
  expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 axios-oauth2-bearer contributors\n/);
});

test('the peer range in package.json starts at the lowest version tested', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  expect(pkg.peerDependencies.axios).toBe(`^${AXIOS_LOWEST}`);
});

describe.each([
  ['lowest', AXIOS_LOWEST],
  ['newest', AXIOS_NEWEST],
])('installed from the tarball with the %s axios (%s)', (_label, axiosVersion) => {
  let project: string;

  beforeAll(() => {
    project = path.join(workdir, `consumer-${axiosVersion}`);
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, `axios@${axiosVersion}`], project);
    for (const file of fs.readdirSync(consumer)) fs.copyFileSync(path.join(consumer, file), path.join(project, file));
  }, 180_000);

  test('require() works: one token for 10 calls, one refresh after revocation, typed errors', () => {
    const out = JSON.parse(run(process.execPath, ['use.cjs'], project));
    expect(out).toEqual({ ok: true, tokenCalls: 3, axios: axiosVersion });
  });

  test('import works: one token for 10 calls, lockout surfaces as AccountLockedError', () => {
    const out = JSON.parse(run(process.execPath, ['use.mjs'], project));
    expect(out).toEqual({ ok: true, tokenCalls: 3, axios: axiosVersion });
  });

  test('the dpop subpath: not loaded by the main entry, DPoP tokens once required, a bad key refused by dpop()', () => {
    const out = JSON.parse(run(process.execPath, ['dpop.cjs'], project));
    expect(out).toEqual({ before: false, after: true, tokenType: 'DPoP', tokenCalls: 1, badKey: true });
  });

  test('the client-auth subpath via require(): not loaded by the main entry; a privateKeyJwt client, 1 token for 10 calls', () => {
    const out = JSON.parse(run(process.execPath, ['client-auth.cjs'], project));
    expect(out).toEqual({ mainLoadsNone: true, subpathLoads: true, tokenCalls: 1, typed: true });
  });

  test('the CommonJS and ESM builds loaded together: errors of one match the classes of the other', () => {
    const out = JSON.parse(run(process.execPath, ['dual.mjs'], project));
    expect(out).toEqual({
      distinct: true,
      cjsErrorIsEsmTokenEndpointError: true,
      cjsErrorIsEsmOAuth2Error: true,
      cjsErrorIsNotEsmLocked: true,
      esmErrorIsCjsOptionsError: true,
      esmErrorIsCjsOAuth2Error: true,
      esmErrorIsTypeError: true,
    });
  });

  test.each(['node16', 'bundler'])('TypeScript with moduleResolution %s type-checks the public API', (mode) => {
    expect(() => run(process.execPath, [tsc, '-p', `tsconfig.${mode}.json`], project)).not.toThrow();
  });
});
