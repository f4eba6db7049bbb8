import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startRedisServer, type RedisServer } from './redis-server';

const run = promisify(execFile);
const CLI = process.env.REDIS_CLI_BIN ?? 'redis-cli';

/** A throwaway Redis Cluster of 3 masters (no replicas) on loopback ports. */
export interface RedisCluster {
  readonly nodes: readonly { host: string; port: number }[];
  stop(): Promise<void>;
}

/**
 * Starts 3 `redis-server --cluster-enabled yes` and joins them with
 * `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes`; resolves once every node
 * reports `cluster_state:ok`.
 */
export async function startRedisCluster(): Promise<RedisCluster> {
  try {
    await run(CLI, ['--version']);
  } catch {
    throw new Error(`The Redis Cluster test needs "${CLI}" (apt-get install -y redis-tools, or set REDIS_CLI_BIN).`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  const servers: RedisServer[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      servers.push(
        await startRedisServer((port) => [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '2000',
        ]),
      );
    }
    const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
    await run(CLI, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    for (const server of servers) {
      for (let tries = 0; ; tries++) {
        const { stdout } = await run(CLI, ['-p', String(server.port), 'cluster', 'info']);
        if (stdout.includes('cluster_state:ok')) break;
        if (tries > 100) throw new Error(`cluster node ${server.port} not ready:\n${stdout}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return { nodes: servers.map((s) => ({ host: '127.0.0.1', port: s.port })), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
