/**
 * CONTRIBUTING.md's getting started runs `npm run demo`: it must keep passing every check it prints. Run as a
 * child process, exactly as the script runs (ts-node, the embedded server), and judged by its exit code.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

test('npm run demo: every step behaves as shown (exit code 0)', () => {
  const root = path.resolve(__dirname, '..', '..');
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/demo.ts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  expect(run.stdout).toContain('All steps behaved as shown');
  expect(run.status).toBe(0);
}, 70_000);
