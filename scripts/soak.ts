/**
 * `npm run soak [-- --seconds N]`: a bounded soak run (default 30 s) of one attached axios
 * instance against the embedded server, with tokens living 2 s and random 5xx answers and
 * connection resets injected at the token endpoint.
 *
 * Every request carries its own time-out (axios `timeout` for the HTTP exchange, and an
 * `AbortSignal` covering the wait for a token too), so nothing can hang. At the end it prints
 * requests made, succeeded, failed by error type, hung (still pending after a grace period) and
 * token calls against the ideal (duration / lifetime). Exit code 1 if a request hung or failed
 * with an untyped error (neither an OAuth2Error nor an axios error).
 */
import axios, { isAxiosError, isCancel } from 'axios';
import { attachOAuth2, OAuth2Error } from '../src';
import { startAuthServer, type RandomFaultKind } from '../src/testing';

const TOKEN_LIFETIME_SECONDS = 2;
const WORKERS = 50;
const FAULT_PROBABILITY = 0.3;
const FAULT_KINDS: RandomFaultKind[] = ['500', '503', 'reset'];
/** HTTP exchange time-out of one request. */
const REQUEST_TIMEOUT_MS = 2_000;
/** Whole-request deadline, the wait for a token included. */
const REQUEST_DEADLINE_MS = 5_000;
/** After the run, how long pending requests get to settle before they count as hung. */
const GRACE_MS = REQUEST_DEADLINE_MS + 2_000;

function parseSeconds(argv: string[]): number {
  const i = argv.indexOf('--seconds');
  if (i < 0) return 30;
  const value = Number(argv[i + 1]);
  if (!(Number.isFinite(value) && value > 0 && value <= 3600)) {
    process.stderr.write('usage: soak [--seconds N]  (0 < N <= 3600)\n');
    process.exit(2);
  }
  return value;
}

/** A label for a failure: class name, plus the axios code or HTTP status when there is one. */
function label(error: unknown): { label: string; typed: boolean } {
  if (error instanceof OAuth2Error) {
    const transient = (error as { transient?: boolean }).transient;
    return {
      label: `${error.name}${transient === undefined ? '' : transient ? ' (transient)' : ' (permanent)'}`,
      typed: true,
    };
  }
  if (isCancel(error))
    return { label: `CanceledError (${(error as { code?: string }).code ?? 'canceled'})`, typed: true };
  if (isAxiosError(error)) {
    const detail = error.response ? `HTTP ${error.response.status}` : (error.code ?? 'no code');
    return { label: `AxiosError (${detail})`, typed: true };
  }
  const name = error instanceof Error ? error.name : typeof error;
  return { label: `untyped ${name}`, typed: false };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const seconds = parseSeconds(process.argv.slice(2));
  const server = await startAuthServer({
    clientId: 'soak-client',
    clientSecret: 'soak-api-key',
    tokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS,
  });
  const api = axios.create({ baseURL: server.apiBaseUrl, timeout: REQUEST_TIMEOUT_MS });
  attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    refreshSkewSeconds: 0.5,
    tokenRequestTimeoutMs: 1_000,
    retry: { retries: 3, baseDelayMs: 50, maxDelayMs: 500 },
  });
  server.setRandomTokenFaults({ probability: FAULT_PROBABILITY, kinds: FAULT_KINDS });

  let made = 0;
  let succeeded = 0;
  let untyped = 0;
  const failures = new Map<string, number>();
  const pending = new Set<Promise<unknown>>();
  let running = true;

  async function oneRequest(worker: number, n: number): Promise<void> {
    made += 1;
    const call = api.post(`/soak/${worker}`, { n }, { signal: AbortSignal.timeout(REQUEST_DEADLINE_MS) });
    pending.add(call);
    try {
      await call;
      succeeded += 1;
    } catch (error) {
      const { label: key, typed } = label(error);
      if (!typed) untyped += 1;
      failures.set(key, (failures.get(key) ?? 0) + 1);
    } finally {
      pending.delete(call);
    }
  }

  async function worker(id: number): Promise<void> {
    for (let n = 0; running; n++) {
      await oneRequest(id, n);
      // A request that fails fast (no I/O) settles in microtasks only: yield so timers still run.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  process.stdout.write(
    `soak: ${seconds} s, ${WORKERS} workers, tokens living ${TOKEN_LIFETIME_SECONDS} s, ` +
      `${FAULT_PROBABILITY * 100}% of token calls faulted (${FAULT_KINDS.join(', ')})\n`,
  );
  const started = Date.now();
  const workers = Array.from({ length: WORKERS }, (_, i) => worker(i));
  const progress = setInterval(() => {
    process.stdout.write(
      `  ${((Date.now() - started) / 1000).toFixed(0)} s: ${made} requests, ${succeeded} ok, ${server.counters.tokenCalls} token calls\n`,
    );
  }, 5_000);
  await sleep(seconds * 1000);
  running = false;
  const elapsed = (Date.now() - started) / 1000;
  clearInterval(progress);
  let graceTimer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    graceTimer = setTimeout(resolve, GRACE_MS);
  });
  await Promise.race([Promise.all(workers), grace]);
  clearTimeout(graceTimer);
  const hung = pending.size;
  server.setRandomTokenFaults(null);
  const { tokenCalls, tokenSuccesses, tokenFaults, invalidTokens, api401 } = server.counters;
  await server.close();

  const ideal = elapsed / TOKEN_LIFETIME_SECONDS;
  const failed = [...failures.values()].reduce((a, b) => a + b, 0);
  const lines = [
    '',
    `duration          ${elapsed.toFixed(1)} s`,
    `requests made     ${made}`,
    `succeeded         ${succeeded}`,
    `failed            ${failed}`,
    ...[...failures.entries()].sort((a, b) => b[1] - a[1]).map(([key, count]) => `  ${key.padEnd(40)} ${count}`),
    `hung              ${hung}`,
    `token calls       ${tokenCalls} (${tokenSuccesses} tokens issued, ${tokenFaults} faulted by injection)`,
    `ideal             ${ideal.toFixed(1)} tokens (duration / lifetime); issued / ideal = ${(tokenSuccesses / ideal).toFixed(2)}`,
    `API 401s          ${api401} (${invalidTokens} for an invalid or expired token)`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const ok = hung === 0 && untyped === 0 && made === succeeded + failed;
  process.stdout.write(ok ? 'soak: OK\n' : `soak: FAILED (${hung} hung, ${untyped} untyped failures)\n`);
  process.exitCode = ok ? 0 : 1;
  // Hung requests may hold sockets or timers open: do not wait for them.
  if (hung > 0) process.exit(1);
}

main().catch((error: unknown) => {
  process.stderr.write(`soak crashed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
