/**
 * Jest globalSetup: makes sure the tools the tests run are there, installing them once with apt-get
 * when the run is root on a machine that has apt-get: a real redis-server for the Redis tests (see
 * redis-server-plan.ts), and the openssl command, which makes the mutual-TLS tests' certificates.
 */
import { spawnSync } from 'node:child_process';
import { obtainRedisServer } from './redis-server-plan';

const succeeds = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return !result.error && result.status === 0;
};

const run = ([command, ...args]: readonly string[]) => {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error || result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
};

export default function globalSetup(): void {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasAptGet = succeeds('apt-get', ['--version']);
  const binary = obtainRedisServer(
    {
      configuredBinary: process.env.REDIS_SERVER_BIN,
      runs: (bin) => succeeds(bin, ['--version']),
      isRoot,
      hasAptGet,
    },
    run,
  );
  process.env.REDIS_SERVER_BIN = binary; // the test workers inherit it (helpers/redis-server.ts)
  // openssl (Debian marks it optional): the mutual-TLS tests make their certificates with it.
  if (succeeds('openssl', ['version'])) return;
  if (isRoot && hasAptGet)
    for (const command of [
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', 'openssl'],
    ])
      run(command);
  if (!succeeds('openssl', ['version'])) {
    const message =
      'The mutual-TLS tests need the openssl command: run `sudo apt-get install -y openssl`, then the tests again.';
    const error = new Error(message);
    error.stack = message;
    throw error;
  }
}
