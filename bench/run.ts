/**
 * `npm run bench`: every figure measured in this one run, ratios against a baseline from the same run.
 * Options: `--quick` for a short smoke run (smaller counts; figures are noisier).
 */
import os from 'node:os';
import { inProcess, overLoopback } from './hot-path';
import { dpopOverhead } from './dpop';
import type { Comparison } from './measure';
import { heapGrowth, leftAfterDetach } from './memory';
import { bundleSize } from './size';
import { channelCost } from './channels';

/** `attachOAuth2` + `mangopay`, gzipped, measured on the code before client assertions, DPoP and discovery. */
const SECRET_USER_BASELINE_BYTES = 16_431;
import { coldCacheStorm, rejectionStorm } from './storms';
import { tokenRequestCost } from './assertion';

const quick = process.argv.includes('--quick');
const rows: string[][] = [];
let missed = 0;

function row(measure: string, value: string, target: string, ok: boolean): void {
  if (!ok) missed += 1;
  rows.push([measure, value, target, ok ? 'met' : 'MISSED']);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
/** "3.1% slower (IQR 1.0 to 5.2)": the median paired ratio and the spread of the rounds. */
const slower = (c: Comparison, name: string) =>
  `${c.slowerPct[name].toFixed(1)}% slower (IQR ${c.slowerIqr[name][0].toFixed(1)} to ${c.slowerIqr[name][1].toFixed(1)})`;

async function main(): Promise<void> {
  const inProc = await inProcess(quick ? 10_000 : 20_000, quick ? 5 : 31);
  const slowIn = inProc.slowerPct.plugin;
  row('in-process ops/s: static header (floor)', fmt(inProc.ops.static), '', true);
  row('in-process ops/s: plugin', `${fmt(inProc.ops.plugin)}, ${slower(inProc, 'plugin')}`, '≤ 5% slower', slowIn <= 5);
  row(
    'in-process ops/s: axios-auth-refresh + interceptor',
    `${fmt(inProc.ops['axios-auth-refresh'])}, ${slower(inProc, 'axios-auth-refresh')}`,
    '',
    true,
  );

  const channels = await channelCost(quick ? 10_000 : 20_000, quick ? 5 : 31);
  row(
    'in-process ops/s: plugin, no diagnostics_channel subscriber',
    `${fmt(channels.ops['no subscriber'])}, ${slower(channels, 'no subscriber')}`,
    '≤ 5% slower',
    channels.slowerPct['no subscriber'] <= 5,
  );
  row(
    'in-process ops/s: plugin, a subscriber on every channel',
    `${fmt(channels.ops['every channel subscribed'])}, ${slower(channels, 'every channel subscribed')} (${fmt(channels.messages)} cache-hit messages)`,
    '',
    channels.messages > 0,
  );
  const dpop = await dpopOverhead(quick ? 2_000 : 5_000, quick ? 5 : 21);
  row(
    'DPoP: extra cost per request over the bearer path',
    `+${(dpop.dpopUs - dpop.bearerUs).toFixed(1)} µs = ${dpop.ratio.toFixed(2)}× one bare ES256 signature (${dpop.signatureUs.toFixed(1)} µs)`,
    '≤ 1.2× one ES256 signature',
    dpop.ratio <= 1.2,
  );
  row(
    'DPoP: the same extra vs one bare signature made per request (bearer + sign)',
    `${dpop.inContextRatio.toFixed(2)}×`,
    '',
    true,
  );

  const http = await overLoopback(quick ? 1_000 : 2_000, quick ? 5 : 41);
  const slowHttp = http.slowerPct.plugin;
  row('loopback HTTP ops/s: static header (floor)', fmt(http.ops.static), '', true);
  row(
    'loopback HTTP ops/s: plugin',
    `${fmt(http.ops.plugin)}, ${slower(http, 'plugin')}`,
    '≤ 3% slower',
    slowHttp <= 3,
  );
  row(
    'loopback HTTP: client CPU per request vs floor',
    `plugin ${http.cpuPct.plugin >= 0 ? '+' : ''}${http.cpuPct.plugin.toFixed(1)}%, axios-auth-refresh ${http.cpuPct['axios-auth-refresh'] >= 0 ? '+' : ''}${http.cpuPct['axios-auth-refresh'].toFixed(1)}%`,
    '',
    true,
  );
  row(
    'loopback HTTP ops/s: axios-auth-refresh + interceptor',
    `${fmt(http.ops['axios-auth-refresh'])}, ${slower(http, 'axios-auth-refresh')}`,
    '',
    true,
  );

  const cold = await coldCacheStorm(10_000);
  row(
    'token calls, 10,000 concurrent requests, cold cache',
    `${cold.tokenCalls} (${cold.failed} failed)`,
    '1',
    cold.tokenCalls === 1 && cold.failed === 0,
  );
  const storm = await rejectionStorm(1_000);
  row(
    'token calls, 1,000 requests answered 401 together',
    `${storm.tokenCalls} (${storm.failed} failed)`,
    '1',
    storm.tokenCalls === 1 && storm.failed === 0,
  );

  const heap = await heapGrowth(quick ? 100_000 : 1_000_000);
  const growth = heap.afterTotal - heap.after10k;
  row(
    `heap after 10k → after ${quick ? '100k' : '1M'} requests`,
    `${heap.after10k.toFixed(1)} MB → ${heap.afterTotal.toFixed(1)} MB`,
    'flat (< 1 MB growth)',
    growth < 1,
  );
  const left = await leftAfterDetach();
  row(
    'interceptors / timers and handles left after detach()',
    `${left.interceptors} / ${left.resources}`,
    '0 / 0',
    left.interceptors === 0 && left.resources <= 0,
  );

  const tokens = await tokenRequestCost(quick ? 100 : 300, quick ? 5 : 21);
  const perRequest = (name: string) => `${(1000 / tokens.ops[name]).toFixed(2)} ms`;
  row('one token request (loopback, server verifies): Basic', perRequest('Basic'), '', true);
  for (const name of ['private_key_jwt ES256', 'private_key_jwt RS256', 'client_secret_jwt HS256']) {
    row(`one token request: ${name}`, `${perRequest(name)}, ${slower(tokens, name)} than Basic`, '', true);
  }

  const src = 'src/index.ts';
  const size = bundleSize(src);
  row(
    'core entry, minified / gzipped',
    `${(size.minified / 1024).toFixed(1)} kB / ${(size.gzipped / 1024).toFixed(2)} kB`,
    '< 5 kB gzipped',
    size.gzipped < 5 * 1024,
  );
  // What a client-secret user bundles (attachOAuth2 and a preset): signing, DPoP and discovery load on first use.
  const secretUser = bundleSize(src, ['attachOAuth2', 'mangopay']);
  row(
    'attachOAuth2 + a preset, gzipped (loaded on first use only)',
    `${(secretUser.gzipped / 1024).toFixed(2)} kB (${(secretUser.lazyGzipped / 1024).toFixed(2)} kB)`,
    `≤ ${(SECRET_USER_BASELINE_BYTES / 1024).toFixed(2)} kB (before issue 13)`,
    secretUser.gzipped <= SECRET_USER_BASELINE_BYTES,
  );

  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(...[['measure', 'value', 'target', ''], ...rows].map((r) => r[i].length)),
  );
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(
    `\nMachine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}${quick ? ' (quick run)' : ''}\n\n`,
  );
  process.stdout.write(
    `${line(['measure', 'value', 'target', 'result'])}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`,
  );
  process.stdout.write(`\n${missed === 0 ? 'All targets met.' : `${missed} target(s) missed.`}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench crashed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
