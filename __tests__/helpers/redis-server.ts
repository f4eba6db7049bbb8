import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { HOW_TO_GET_REDIS } from '../setup/redis-server-plan';

/** A throwaway `redis-server` on a free loopback port, nothing persisted. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:PORT` */
  readonly url: string;
  /** Stops the server (SIGTERM, then SIGKILL after 2 s). Idempotent. */
  stop(): Promise<void>;
}

const BINARY = process.env.REDIS_SERVER_BIN ?? 'redis-server';

/** Thrown when `redis-server` is missing: the Redis tests must fail, never pass silently. */
export const MISSING_REDIS_MESSAGE = `"${BINARY}" could not be run. ${HOW_TO_GET_REDIS}`;

function assertInstalled(): void {
  const probe = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Error(MISSING_REDIS_MESSAGE);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitForReady(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`redis-server did not start on port ${port} within 5 s:\n${output}`)),
      5_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) done();
    };
    const onExit = (code: number | null) =>
      fail(new Error(`redis-server exited (code ${code}) before it was ready:\n${output}`));
    function cleanup() {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    }
    function done() {
      cleanup();
      child.stdout?.resume(); // keep draining the pipe so redis-server never blocks on a full buffer
      resolve();
    }
    function fail(error: Error) {
      cleanup();
      reject(error);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

function launch(port: number, extraArgs: readonly string[]): ChildProcess {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    tmpdir(),
    '--daemonize',
    'no',
    ...extraArgs,
  ];
  const child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.resume();
  return child;
}

/**
 * Starts `redis-server --port <free port> --bind 127.0.0.1 --save '' --appendonly no`.
 * @throws when redis-server is not installed, with {@link MISSING_REDIS_MESSAGE}
 */
export async function startRedisServer(
  extraArgs: (port: number) => readonly string[] = () => [],
): Promise<RedisServer> {
  assertInstalled();
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = launch(port, extraArgs(port));
    try {
      await waitForReady(child, port);
    } catch (error) {
      lastError = error; // most likely the port was taken between freePort() and the bind: try another
      child.kill('SIGKILL');
      continue;
    }
    let stopping: Promise<void> | undefined;
    return {
      port,
      url: `redis://127.0.0.1:${port}`,
      stop() {
        stopping ??= new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill('SIGKILL'), 2_000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        });
        return stopping;
      },
    };
  }
  throw lastError;
}
