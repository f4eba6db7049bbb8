/**
 * Jest globalSetup: makes sure a real redis-server can be started by the Redis tests, installing it
 * once with apt-get when the run is root on a machine that has apt-get (see redis-server-plan.ts).
 */
import { spawnSync } from 'node:child_process';
import { obtainRedisServer } from './redis-server-plan';

const succeeds = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return !result.error && result.status === 0;
};

export default function globalSetup(): void {
  const binary = obtainRedisServer(
    {
      configuredBinary: process.env.REDIS_SERVER_BIN,
      runs: (bin) => succeeds(bin, ['--version']),
      isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
      hasAptGet: succeeds('apt-get', ['--version']),
    },
    ([command, ...args]) => {
      const result = spawnSync(command, args, {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      if (result.error || result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
    },
  );
  process.env.REDIS_SERVER_BIN = binary; // the test workers inherit it (helpers/redis-server.ts)
}
