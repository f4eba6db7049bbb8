/**
 * How the test run obtains a real `redis-server`: use the one configured or installed, install it
 * where the machine allows (root and apt-get), or fail with one line saying what to run.
 */

/** What the machine offers; injected so the decision can be unit-tested. */
export interface Probes {
  /** `REDIS_SERVER_BIN`, when set. */
  configuredBinary?: string;
  /** Whether `binary --version` runs. */
  runs(binary: string): boolean;
  isRoot: boolean;
  hasAptGet: boolean;
}

export type Plan =
  | { action: 'use'; binary: string }
  | { action: 'install'; commands: readonly (readonly string[])[]; binary: string }
  | { action: 'fail'; message: string };

export const INSTALL_COMMANDS = [
  ['apt-get', 'update'],
  ['apt-get', 'install', '-y', 'redis-server'],
] as const;

/** The one line printed where redis-server cannot be obtained. */
export const HOW_TO_GET_REDIS =
  'The Redis tests need redis-server: run `sudo apt-get update && sudo apt-get install -y redis-server` ' +
  '(macOS: `brew install redis`), or set REDIS_SERVER_BIN=/path/to/redis-server, then run the tests again.';

export function planRedisServer(probes: Probes): Plan {
  const { configuredBinary } = probes;
  if (configuredBinary !== undefined && configuredBinary !== '') {
    return probes.runs(configuredBinary)
      ? { action: 'use', binary: configuredBinary }
      : {
          action: 'fail',
          message: `REDIS_SERVER_BIN=${configuredBinary} cannot be run: point it at a redis-server binary, or unset it.`,
        };
  }
  if (probes.runs('redis-server')) return { action: 'use', binary: 'redis-server' };
  if (probes.isRoot && probes.hasAptGet)
    return { action: 'install', commands: INSTALL_COMMANDS, binary: 'redis-server' };
  return { action: 'fail', message: HOW_TO_GET_REDIS };
}

/**
 * Carries out the plan: installs when planned (`run` executes one command, throwing on failure),
 * then checks the binary runs. Resolves to the binary, or rejects with a one-line error.
 */
export function obtainRedisServer(probes: Probes, run: (command: readonly string[]) => void): string {
  const plan = planRedisServer(probes);
  if (plan.action === 'use') return plan.binary;
  if (plan.action === 'fail') throw oneLine(plan.message);
  try {
    for (const command of plan.commands) run(command);
  } catch {
    throw oneLine(`Installing redis-server with apt-get failed. ${HOW_TO_GET_REDIS}`);
  }
  if (!probes.runs(plan.binary)) throw oneLine(`redis-server was installed but cannot be run. ${HOW_TO_GET_REDIS}`);
  return plan.binary;
}

/** An error jest prints as its message alone (no stack trace under it). */
function oneLine(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}
