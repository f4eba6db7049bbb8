/**
 * DPoP's per-request cost (issue 14): the plugin with `senderConstraint: dpop()` vs the plugin with a bearer token,
 * both in process with an instant adapter, against one bare ES256 signature (node:crypto) measured in
 * the same rounds.
 *
 * A signature in a tight loop runs with hot caches; the same signature made once per request, between
 * axios's work, costs more. So a fourth variant, the bearer path plus one bare signature per request,
 * gives the in-context cost of a signature: the DPoP extra over it shows what the plugin adds besides.
 * Target (bench/run.ts): that extra at most 1.5× the in-context signature.
 *
 * Every variant's elapsed time and this process's CPU time are both taken: on a shared, loaded
 * machine the elapsed time also counts the waits for a core (its spread is several times the CPU
 * time's), so the target is judged on CPU time.
 */
import axios, { type AxiosAdapter, type AxiosInstance } from 'axios';
import { generateKeyPairSync, sign } from 'node:crypto';
import { attachOAuth2 } from '../src';
import { dpop as dpopConstraint } from '../src/features/dpop';
import { instantAdapter, withPlugin } from './hot-path';
import { median, quantile } from './measure';

const BASE = 'https://api.bench.local/v2.01/bench';

const dpopTokenAdapter: AxiosAdapter = async (config) => ({
  data: JSON.stringify({ access_token: 'bench-dpop-token', token_type: 'DPoP', expires_in: 3600 }),
  status: 200,
  statusText: 'OK',
  headers: { 'content-type': 'application/json' },
  config,
  request: {},
});

async function withDPoP(): Promise<AxiosInstance> {
  const api = axios.create({ baseURL: BASE, adapter: instantAdapter });
  const auth = attachOAuth2(api, {
    tokenUrl: 'https://auth.bench.local/oauth/token',
    clientId: 'bench',
    clientSecret: 'bench-secret',
    apiOrigins: [new URL(BASE).origin],
    tokenHttpClient: axios.create({ adapter: dpopTokenAdapter }),
    senderConstraint: dpopConstraint(),
  });
  await auth.getAccessToken();
  await api.get('/warm'); // the signing module is loaded
  return api;
}

let counter = 0;
const nextPath = () => `/users/${(counter = (counter + 1) % 1000)}`;

/** Runs `count` requests one after another: elapsed and CPU (user + system) ns per request. */
async function timeIt(run: () => unknown, count: number): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await run();
  const wall = Number(process.hrtime.bigint() - start) / count;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: ((used.user + used.system) * 1000) / count };
}

export interface DPoPCost {
  /** Median per-request time of each path, in µs. */
  bearerUs: number;
  dpopUs: number;
  /** Median time of one bare ES256 signature of a proof-sized input, in µs. */
  signatureUs: number;
  /** Median over rounds of (DPoP − bearer) / one signature, measured side by side. */
  ratio: number;
  /** Median over rounds of (DPoP − bearer) / ((bearer + one bare signature per request) − bearer). */
  inContextRatio: number;
  /** The same ratios from this process's CPU time instead of elapsed time (what a loaded machine's waits leave out). */
  cpu: { ratio: number; inContextRatio: number; inContextIqr: [number, number]; bearerUs: number; dpopUs: number };
  /** The interquartile range of the elapsed-time in-context ratios. */
  inContextIqr: [number, number];
  /** How many rounds the medians are of. */
  rounds: number;
}

/** Interleaved rounds (bearer, DPoP, signature; then reversed), each round's ratio from its own three times. */
export async function dpopOverhead(count: number, rounds: number): Promise<DPoPCost> {
  const bearer = await withPlugin(BASE, instantAdapter);
  const dpop = await withDPoP();
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key = { key: privateKey, dsaEncoding: 'ieee-p1363' as const };
  const input = Buffer.from('x'.repeat(330)); // a proof's signing input is about this long
  const variants: Record<string, () => unknown> = {
    bearer: () => bearer.get(nextPath()),
    bearerSigned: () => {
      sign('sha256', input, key);
      return bearer.get(nextPath());
    },
    dpop: () => dpop.get(nextPath()),
    signature: () => sign('sha256', input, key),
  };
  for (const run of Object.values(variants)) await timeIt(run, Math.ceil(count / 2)); // warm-up
  const per: Record<string, number[]> = { bearer: [], bearerSigned: [], dpop: [], signature: [] };
  const perCpu: Record<string, number[]> = { bearer: [], bearerSigned: [], dpop: [], signature: [] };
  const ratios: number[] = [];
  const inContext: number[] = [];
  const cpuRatios: number[] = [];
  const cpuInContext: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const names = ['bearer', 'dpop', 'bearerSigned', 'signature'];
    if (round % 2) names.reverse();
    const ns: Record<string, number> = {};
    const cpu: Record<string, number> = {};
    for (const name of names) {
      global.gc?.();
      ({ wall: ns[name], cpu: cpu[name] } = await timeIt(variants[name], count));
      per[name].push(ns[name]);
      perCpu[name].push(cpu[name]);
    }
    ratios.push((ns.dpop - ns.bearer) / ns.signature);
    inContext.push((ns.dpop - ns.bearer) / (ns.bearerSigned - ns.bearer));
    cpuRatios.push((cpu.dpop - cpu.bearer) / cpu.signature);
    cpuInContext.push((cpu.dpop - cpu.bearer) / (cpu.bearerSigned - cpu.bearer));
  }
  return {
    bearerUs: median(per.bearer) / 1000,
    dpopUs: median(per.dpop) / 1000,
    signatureUs: median(per.signature) / 1000,
    ratio: median(ratios),
    inContextRatio: median(inContext),
    inContextIqr: [quantile(inContext, 0.25), quantile(inContext, 0.75)],
    rounds,
    cpu: {
      ratio: median(cpuRatios),
      inContextRatio: median(cpuInContext),
      inContextIqr: [quantile(cpuInContext, 0.25), quantile(cpuInContext, 0.75)],
      bearerUs: median(perCpu.bearer) / 1000,
      dpopUs: median(perCpu.dpop) / 1000,
    },
  };
}
