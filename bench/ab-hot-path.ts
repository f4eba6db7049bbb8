/**
 * A/B of the plugin's own per-request work with a cached token, two versions of `src/` in one process:
 * `npx ts-node --transpile-only bench/ab-hot-path.ts <dir with the other src/> [rounds] [count]`, e.g. after
 * `git archive main src | tar -x -C /tmp/before` (run with `NODE_PATH=node_modules`, so both versions
 * share this checkout's axios).
 *
 * axios's own work is left out: each version is attached to an instance, and its interceptors are
 * called as axios calls them for one request (both `runWhen`, the synchronous injector, the response
 * side's fulfilled handler) on a config shaped like the one axios passes. A baseline loop that only
 * makes the config is subtracted. Rounds alternate A B B A…; the median ns per request of each and
 * the median paired difference are printed, in CPU time. The machine may be loaded: read the spread too.
 */
import axios, { AxiosHeaders, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import path from 'node:path';
import { median, quantile } from './measure';
import { tokenAdapter } from './hot-path';

const BASE = 'https://api.bench.local/v2.01/bench';

interface Handler {
  fulfilled: (value: unknown) => unknown;
  runWhen?: (config: InternalAxiosRequestConfig) => boolean;
}

type Attach = (api: AxiosInstance, options: Record<string, unknown>) => { getAccessToken(): Promise<string> };

async function prepare(srcDir: string): Promise<() => void> {
  const { attachOAuth2 } = (await import(path.resolve(srcDir, 'index.ts'))) as { attachOAuth2: Attach };
  const tokenClient = axios.create({ adapter: tokenAdapter });
  const api = axios.create({ baseURL: BASE });
  await attachOAuth2(api, {
    tokenUrl: 'https://auth.bench.local/oauth/token',
    clientId: 'bench',
    clientSecret: 'bench-secret',
    apiOrigins: [new URL(BASE).origin],
    tokenHttpClient: tokenClient,
  }).getAccessToken();
  const requestSide = (api.interceptors.request as unknown as { handlers: Handler[] }).handlers;
  const [sync, async] = requestSide;
  const [response] = (api.interceptors.response as unknown as { handlers: Handler[] }).handlers;
  let n = 0;
  return () => {
    const config = makeConfig((n = (n + 1) % 1000));
    // axios: every runWhen first (registration order), then the chosen interceptors.
    const runSync = sync.runWhen?.(config);
    async.runWhen?.(config);
    if (!runSync) throw new Error('the cached token did not take the synchronous route');
    const sent = sync.fulfilled(config) as InternalAxiosRequestConfig;
    response.fulfilled({ status: 200, statusText: 'OK', headers: {}, data: null, config: sent, request: {} });
  };
}

function makeConfig(n: number): InternalAxiosRequestConfig {
  return {
    url: `/users/${n}`,
    baseURL: BASE,
    method: 'get',
    headers: new AxiosHeaders({ Accept: 'application/json, text/plain, */*' }),
  } as InternalAxiosRequestConfig;
}

/** This process's CPU time (user + system) per run, in ns: the waits for a core of a loaded machine left out. */
function time(run: () => void, count: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) run();
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / count;
}

async function main(): Promise<void> {
  const other = process.argv[2];
  if (!other) throw new Error('usage: bench/ab-hot-path.ts <dir holding the other src/>');
  const variants: Record<string, () => void> = {
    before: await prepare(path.join(other, 'src')),
    after: await prepare(path.join(__dirname, '..', 'src')),
    baseline: () => void makeConfig(1),
  };
  const count = Number(process.argv[4] ?? 50_000);
  const rounds = Number(process.argv[3] ?? 41);
  for (const run of Object.values(variants)) time(run, count); // warm-up
  const ns: Record<string, number[]> = { before: [], after: [], baseline: [] };
  const diffs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? ['after', 'before', 'baseline'] : ['baseline', 'before', 'after'];
    const got: Record<string, number> = {};
    for (const name of order) {
      global.gc?.();
      got[name] = time(variants[name], count);
    }
    ns.before.push(got.before - got.baseline);
    ns.after.push(got.after - got.baseline);
    diffs.push(got.after - got.before);
  }
  const show = (values: number[]) =>
    `${median(values).toFixed(0)} ns (IQR ${quantile(values, 0.25).toFixed(0)} to ${quantile(values, 0.75).toFixed(0)})`;
  process.stdout.write(
    `plugin's own work per request, cached token (${rounds} rounds of ${count}):\n` +
      `  before: ${show(ns.before)}\n  after:  ${show(ns.after)}\n  after − before, paired: ${show(diffs)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
