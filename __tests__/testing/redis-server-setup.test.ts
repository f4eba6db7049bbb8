/**
 * The test set-up obtains a real redis-server itself: the decision (use, install, fail with one
 * line) from injected probes, and the install step with an injected command runner.
 */
import {
  HOW_TO_GET_REDIS,
  INSTALL_COMMANDS,
  obtainRedisServer,
  planRedisServer,
  type Probes,
} from '../setup/redis-server-plan';
import globalSetup from '../setup/global-setup';

const machine = (overrides: Partial<Probes> & { installed?: string[] } = {}): Probes => {
  const installed = new Set(overrides.installed ?? []);
  return { runs: (bin) => installed.has(bin), isRoot: false, hasAptGet: false, ...overrides };
};

describe('planRedisServer', () => {
  test('an installed redis-server is used', () => {
    expect(planRedisServer(machine({ installed: ['redis-server'] }))).toEqual({
      action: 'use',
      binary: 'redis-server',
    });
  });

  test('REDIS_SERVER_BIN wins when it runs, and fails with one line when it does not', () => {
    const probes = machine({
      installed: ['/opt/redis/bin/redis-server', 'redis-server'],
      configuredBinary: '/opt/redis/bin/redis-server',
    });
    expect(planRedisServer(probes)).toEqual({ action: 'use', binary: '/opt/redis/bin/redis-server' });
    const broken = planRedisServer(machine({ configuredBinary: '/nope', isRoot: true, hasAptGet: true }));
    expect(broken).toEqual({
      action: 'fail',
      message: expect.stringContaining('REDIS_SERVER_BIN=/nope cannot be run'),
    });
  });

  test('missing, root, apt-get: install with apt-get update && apt-get install -y redis-server', () => {
    expect(planRedisServer(machine({ isRoot: true, hasAptGet: true }))).toEqual({
      action: 'install',
      commands: [
        ['apt-get', 'update'],
        ['apt-get', 'install', '-y', 'redis-server'],
      ],
      binary: 'redis-server',
    });
  });

  test.each([
    ['not root', { isRoot: false, hasAptGet: true }],
    ['no apt-get', { isRoot: true, hasAptGet: false }],
  ])('missing, %s: fail with the one line saying what to run', (_, probes) => {
    expect(planRedisServer(machine(probes))).toEqual({ action: 'fail', message: HOW_TO_GET_REDIS });
    expect(HOW_TO_GET_REDIS).not.toContain('\n');
    expect(HOW_TO_GET_REDIS).toContain('apt-get install -y redis-server');
  });
});

describe('obtainRedisServer', () => {
  test('installs once, then uses the installed binary', () => {
    const installed: string[] = [];
    const ran: (readonly string[])[] = [];
    const probes = machine({ isRoot: true, hasAptGet: true, runs: (bin) => installed.includes(bin) });
    const run = (command: readonly string[]) => {
      ran.push(command);
      if (command.includes('install')) installed.push('redis-server');
    };
    expect(obtainRedisServer(probes, run)).toBe('redis-server');
    expect(ran).toEqual(INSTALL_COMMANDS);
    expect(obtainRedisServer(probes, run)).toBe('redis-server');
    expect(ran).toHaveLength(2); // not installed again
  });

  test('an install that fails, or a binary that still does not run: one line, no stack', () => {
    const probes = machine({ isRoot: true, hasAptGet: true });
    const failing = () => {
      throw new Error('E: Unable to locate package');
    };
    for (const run of [failing, () => undefined]) {
      let error: Error | undefined;
      try {
        obtainRedisServer(probes, run);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toContain(HOW_TO_GET_REDIS);
      expect(error?.stack).toBe(error?.message);
    }
  });

  test('nothing to do when it cannot be obtained: the one line', () => {
    expect(() => obtainRedisServer(machine(), () => undefined)).toThrow(HOW_TO_GET_REDIS);
  });
});

test('the jest globalSetup on this machine finds redis-server and passes it to the test workers', () => {
  const before = process.env.REDIS_SERVER_BIN;
  try {
    globalSetup();
    expect(process.env.REDIS_SERVER_BIN).toEqual(expect.stringMatching(/redis-server$/));
  } finally {
    if (before === undefined) delete process.env.REDIS_SERVER_BIN;
    else process.env.REDIS_SERVER_BIN = before;
  }
});
