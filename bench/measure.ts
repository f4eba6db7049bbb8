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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Measures every variant in interleaved rounds (A B C, A B C, …) so machine noise hits all alike,
 * after a warm-up; returns the median ops/s of each.
 */
export async function compare(
  variants: Record<string, Runner>,
  options: { count: number; rounds: number; concurrency?: number },
): Promise<Record<string, number>> {
  const names = Object.keys(variants);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const time = (run: Runner, count: number) =>
    options.concurrency ? timeConcurrent(run, count, options.concurrency) : timeSequential(run, count);
  for (const name of names) await time(variants[name], Math.ceil(options.count / 4)); // warm-up
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 ? [...names].reverse() : names;
    for (const name of order) {
      const ns = await time(variants[name], options.count);
      samples[name].push(options.count / (Number(ns) / 1e9));
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]));
}
