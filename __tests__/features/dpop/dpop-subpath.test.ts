import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { splitBundle } from '../../../bench/size';

/**
 * DPoP is reached through its own subpath (`axios-oauth2-bearer/dpop`, src/features/dpop): a user
 * who does not import it neither loads (Node) nor bundles it, and a `dpop()` user loads the signing
 * code on first use only.
 */
const ROOT = path.join(__dirname, '..', '..', '..');

/** Markers of the DPoP code: the key import, the binding, the proof header, the redirect guard. */
const KEY_CODE = ['resolveDPoPKey', 'jwkThumbprint'];
const SIGNING_CODE = ['dpop+jwt', 'guardFetchRedirects', 'NonceMemory'];

/** Runs `script` in a fresh Node process (TypeScript through ts-node), returning what it printed as JSON. */
function inFreshProcess(script: string): unknown {
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
  });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

/** A script snippet: the modules of src/features/dpop in Node's require cache, by file name. */
const LOADED_DPOP = `Object.keys(require.cache).filter((f) => f.includes(require('path').join('src', 'features', 'dpop'))).map((f) => require('path').basename(f)).sort()`;

it('requiring the main entry loads no DPoP module (require.cache)', () => {
  const loaded = inFreshProcess(`
    const main = require('./src/index');
    if (typeof main.attachOAuth2 !== 'function') throw new Error('no attachOAuth2');
    console.log(JSON.stringify(${LOADED_DPOP}));
  `);
  expect(loaded).toEqual([]);
}, 60_000);

it('a dpop() user loads the key code when importing the subpath, and the signing session once attached', () => {
  const stages = inFreshProcess(`
    const axios = require('axios');
    const { attachOAuth2 } = require('./src/index');
    const { dpop } = require('./src/features/dpop');
    const imported = ${LOADED_DPOP};
    const constraint = dpop();
    const made = ${LOADED_DPOP};
    const auth = attachOAuth2(axios.create(), {
      tokenUrl: 'https://auth.example.com/token', clientId: 'c', clientSecret: 's', senderConstraint: constraint,
    });
    // The signing code loads asynchronously from attach: wait for it (bounded), not for a fixed time.
    const since = Date.now();
    const report = () => {
      const attached = ${LOADED_DPOP};
      if (!attached.includes('dpop-session.ts') && Date.now() - since < 15000) return void setTimeout(report, 10);
      auth.detach();
      console.log(JSON.stringify({ imported, made, attached }));
    };
    report();
  `) as Record<string, string[]>;
  expect(stages.imported).toEqual(expect.arrayContaining(['dpop-binding.ts', 'dpop-key.ts', 'dpop.ts', 'index.ts']));
  expect(stages.imported).not.toContain('dpop-session.ts');
  expect(stages.imported).not.toContain('proof-signer.ts');
  expect(stages.made).toEqual(stages.imported);
  expect(stages.attached).toEqual(
    expect.arrayContaining(['dpop-session.ts', 'proof-signer.ts', 'nonce-memory.ts', 'redirect-guard.ts']),
  );
}, 60_000);

it('bundled as ESM, the main entry holds no DPoP code, eager or lazy', () => {
  const { eager, lazy } = splitBundle('src/index.ts', undefined, false);
  const all = [...eager, ...lazy].map((c) => c.text).join('\n');
  for (const marker of [...KEY_CODE, ...SIGNING_CODE, 'DPoPBinding']) expect(all).not.toContain(marker);
});

it('bundled as ESM, the dpop subpath ships the key code eagerly and the signing code in a lazy chunk', () => {
  const { eager, lazy } = splitBundle('src/features/dpop/index.ts', undefined, false);
  const eagerText = eager.map((c) => c.text).join('\n');
  const lazyText = lazy.map((c) => c.text).join('\n');
  for (const marker of KEY_CODE) expect(eagerText).toContain(marker);
  for (const marker of SIGNING_CODE) {
    expect(eagerText).not.toContain(marker);
    expect(lazyText).toContain(marker);
  }
});
