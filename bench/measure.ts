/** Timing helpers for the benchmark: interleaved rounds, median ops/s. */

export type Runner = () => Promise<unknown>;

/** Runs `count` requests one after another; returns elapsed ns. */
async function timeSequential(run: Runner, count: number): Promise<bigint> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await run();
  return process.hrtime.bigint() - start;
}

/** Runs `count` requests with `concurrency` workers; returns elapsed ns. */
async function timeConcurrent(run: Runner, count: number, concurrency: number): Promise<bigint> {
  let left = count;
  const worker = async () => {
    while (left-- > 0) await run();
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return process.hrtime.bigint() - start;
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** What {@link compare} reports: median ops/s of each variant, and its median extra time per request over the first (the floor). */
export interface Comparison {
  ops: Record<string, number>;
  /** Median over rounds of (time of the variant / time of the floor in the same round) − 1, in %. */
  slowerPct: Record<string, number>;
  /** The same ratios' interquartile range, in %: the noise the median sits in. */
  slowerIqr: Record<string, [number, number]>;
  /** Each round's time of the variant / time of the floor in that round, in round order: for paired differences. */
  ratios: Record<string, number[]>;
  /** Median over rounds of this process's CPU time (user + system) per request relative to the floor's, − 1, in %. */
  cpuPct: Record<string, number>;
  /** The same CPU ratios' interquartile range, in %. */
  cpuIqr: Record<string, [number, number]>;
  /** Each round's CPU time of the variant / CPU time of the floor in that round, in round order. */
  cpuRatios: Record<string, number[]>;
}

/**
 * Measures every variant in interleaved rounds (A B C, C B A, …) after a warm-up. Each round gives
 * every variant's time and its ratio to the floor (the first variant) measured next to it, so a
 * drift in machine speed hits both sides of a ratio alike; the medians over rounds are reported.
 */
export async function compare(
  variants: Record<string, Runner>,
  options: { count: number; rounds: number; concurrency?: number },
): Promise<Comparison> {
  const names = Object.keys(variants);
  const floor = names[0];
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const ratios: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const cpuRatios: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const time = (run: Runner, count: number) =>
    options.concurrency ? timeConcurrent(run, count, options.concurrency) : timeSequential(run, count);
  for (const name of names) await time(variants[name], Math.ceil(options.count / 2)); // warm-up
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 ? [...names].reverse() : names;
    const ns: Record<string, number> = {};
    const cpu: Record<string, number> = {};
    for (const name of order) {
      global.gc?.(); // collect between variants, so one does not pay for another's garbage
      const before = process.cpuUsage();
      ns[name] = Number(await time(variants[name], options.count));
      const used = process.cpuUsage(before);
      cpu[name] = used.user + used.system;
      samples[name].push(options.count / (ns[name] / 1e9));
    }
    for (const name of names) {
      ratios[name].push(ns[name] / ns[floor]);
      cpuRatios[name].push(cpu[name] / cpu[floor]);
    }
  }
  return {
    ops: Object.fromEntries(names.map((n) => [n, median(samples[n])])),
    ratios,
    slowerPct: Object.fromEntries(names.map((n) => [n, (median(ratios[n]) - 1) * 100])),
    cpuPct: Object.fromEntries(names.map((n) => [n, (median(cpuRatios[n]) - 1) * 100])),
    cpuIqr: Object.fromEntries(
      names.map((n) => [n, [(quantile(cpuRatios[n], 0.25) - 1) * 100, (quantile(cpuRatios[n], 0.75) - 1) * 100]]),
    ),
    cpuRatios,
    slowerIqr: Object.fromEntries(
      names.map((n) => [n, [(quantile(ratios[n], 0.25) - 1) * 100, (quantile(ratios[n], 0.75) - 1) * 100]]),
    ),
  };
}

/**
 * `a` against `b`, both relative to the floor of the same rounds: the median over rounds of
 * (a/floor − b/floor), in percentage points of the floor's time, with its interquartile range. Paired
 * by round, so a slow stretch of the machine hits both sides of each difference alike. `basis`:
 * elapsed time (`'wall'`) or this process's CPU time (`'cpu'`), which leaves out the time it waited
 * for a core on a loaded machine.
 */
export function pairedDifference(
  c: Comparison,
  a: string,
  b: string,
  basis: 'wall' | 'cpu' = 'wall',
): { points: number; iqr: [number, number]; se: number } {
  const ratios = basis === 'cpu' ? c.cpuRatios : c.ratios;
  const diffs = ratios[a].map((ratio, round) => (ratio - ratios[b][round]) * 100);
  const iqr: [number, number] = [quantile(diffs, 0.25), quantile(diffs, 0.75)];
  return { points: median(diffs), iqr, se: medianStandardError(iqr, diffs.length) };
}

/**
 * The standard error of the median of `n` values whose interquartile range is `iqr`, as for a
 * normal spread (σ ≈ IQR / 1.349, SE ≈ 1.2533 σ / √n): how far the reported median may be from the
 * one many more rounds would give. More rounds shrink it, not longer ones.
 */
export function medianStandardError(iqr: [number, number], n: number): number {
  return (1.2533 * ((iqr[1] - iqr[0]) / 1.349)) / Math.sqrt(n);
}
