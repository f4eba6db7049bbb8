/**
 * `npm run mutation -- <folder or file>...`, `npm run mutation:changed [-- <base>]`,
 * `npm run mutation -- --all`: runs Stryker (stryker.config.json) on the given part of src, then
 * prints the score of that part alone. Stryker's report and incremental file also hold the results
 * of earlier runs on other files (kept by Stryker's incremental mode), so its own totals mix both.
 * Options Stryker knows (e.g. --concurrency 1, --force) are passed through.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const EXCLUDED = ['!src/testing/**', '!src/**/index.ts'];
const REPORT = path.join(root, 'reports', 'mutation', 'mutation.json');

const git = (...args: string[]) =>
  spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);

/** Whether Stryker's `mutate` (stryker.config.json) takes this file. */
export const isMutated = (file: string) =>
  /^src\/.+\.ts$/.test(file) && !file.startsWith('src/testing/') && path.basename(file) !== 'index.ts';

/** The library files changed against `base` (committed since the merge base, uncommitted, untracked). */
function changedFiles(base: string): string[] {
  const files = new Set([
    ...git('diff', '--name-only', '--diff-filter=d', `${base}...HEAD`, '--', 'src'),
    ...git('diff', '--name-only', '--diff-filter=d', 'HEAD', '--', 'src'),
    ...git('ls-files', '--others', '--exclude-standard', '--', 'src'),
  ]);
  return [...files].filter(isMutated).sort();
}

function usage(): never {
  console.error(
    [
      'usage: npm run mutation -- <folder or file under src>... [stryker options]',
      '       npm run mutation:changed [-- <base, default main>]',
      '       npm run mutation -- --all   (the whole library: about 1.6 hours on 2 cores)',
    ].join('\n'),
  );
  process.exit(2);
}

function patternsOf(targets: string[]): string[] {
  return targets.map((target) => {
    const relative = path.relative(root, path.resolve(target)).split(path.sep).join('/');
    if (!relative.startsWith('src/') && relative !== 'src') usage();
    if (!fs.existsSync(path.join(root, relative))) throw new Error(`${relative}: no such file or folder`);
    return fs.statSync(path.join(root, relative)).isDirectory() ? `${relative}/**/*.ts` : relative;
  });
}

interface ReportMutant {
  status: string;
}
interface Report {
  files: Record<string, { mutants: ReportMutant[] }>;
}

/** Score of the files of this run, one row per folder: Stryker's formula (killed + timeout) / valid. */
function printScores(files: Set<string>): void {
  const report = JSON.parse(fs.readFileSync(REPORT, 'utf8')) as Report;
  const rows = new Map<string, Record<string, number>>();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const relative = path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
    if (!files.has(relative)) continue;
    const row = rows.get(path.dirname(relative)) ?? {};
    for (const { status } of mutants) row[status] = (row[status] ?? 0) + 1;
    rows.set(path.dirname(relative), row);
  }
  console.log('\nfolder (files of this run) | mutants | killed | timeout | survived | no coverage | errors | score');
  for (const [folder, row] of [...rows].sort()) {
    const n = (status: string) => row[status] ?? 0;
    const detected = n('Killed') + n('Timeout');
    const valid = detected + n('Survived') + n('NoCoverage');
    const total = Object.values(row).reduce((a, b) => a + b, 0);
    const score = valid ? ((100 * detected) / valid).toFixed(1) : '-';
    const errors = n('RuntimeError') + n('CompileError');
    console.log(
      `${folder} | ${total} | ${n('Killed')} | ${n('Timeout')} | ${n('Survived')} | ${n('NoCoverage')} | ${errors} | ${score}%`,
    );
  }
}

function main(argv: string[]): number {
  const passThrough: string[] = [];
  const targets: string[] = [];
  let changed: string | undefined;
  let all = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--changed') changed = argv[i + 1] && !argv[i + 1].startsWith('-') ? argv[++i] : 'main';
    else if (arg === '--all') all = true;
    else if (arg.startsWith('-')) {
      passThrough.push(arg);
      if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('-') && !/^(src|\.\/src)\b/.test(argv[i + 1]))
        passThrough.push(argv[++i]);
    } else targets.push(arg);
  }
  let patterns: string[];
  if (all) patterns = ['src/**/*.ts'];
  else if (changed !== undefined) {
    patterns = changedFiles(changed);
    if (patterns.length === 0) {
      console.log(`No library file changed against ${changed}: nothing to mutate.`);
      return 0;
    }
    console.log(`Mutating the files changed against ${changed}: ${patterns.join(', ')}`);
  } else if (targets.length > 0) patterns = patternsOf(targets);
  else usage();
  const mutate = [...patterns, ...EXCLUDED].join(',');
  const stryker = spawnSync('npx', ['stryker', 'run', '--mutate', mutate, ...passThrough], {
    cwd: root,
    stdio: 'inherit',
  });
  if (fs.existsSync(REPORT)) {
    const mutated = new Set(
      git('ls-files', '--cached', '--others', '--exclude-standard', '--', 'src').filter(
        (file) => isMutated(file) && patterns.some((p) => file === p || file.startsWith(p.replace('**/*.ts', ''))),
      ),
    );
    printScores(mutated);
  }
  return stryker.status ?? 1;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
