/**
 * The README and the docs as the npm page and an installed package show them: every relative link
 * points to a file in the tarball (`npm pack --dry-run`), every anchor to a heading of its page, and
 * package.json names no address that does not exist.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const ROOT = join(__dirname, '../..');

/** The files `npm pack` would put in the tarball (without running the build). */
function shippedFiles(): string[] {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [pack] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
  return pack.files.map((file) => file.path);
}

/** Markdown without fenced blocks and code spans, so that code is never read as a link. */
function prose(text: string): string {
  return text.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Link targets: `[text](target)` and `<a href="target">`. */
export function linkTargets(text: string): string[] {
  const body = prose(text);
  const inline = [...body.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]);
  const html = [...body.matchAll(/<a\s[^>]*href="([^"]+)"/g)].map((match) => match[1]);
  return [...inline, ...html];
}

/** GitHub's (and npm's) heading anchors: lower case, punctuation dropped, spaces to dashes, -1… for repeats. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  const withoutCode = text.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
  for (const match of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = match[1]
      .toLowerCase()
      .replace(/<[^>]+>/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    found.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return found;
}

const shipped = shippedFiles();
const shippedMarkdown = shipped.filter((file) => file.endsWith('.md'));

test('the tarball ships the README, the changelog and every page of docs/ (the README links them)', () => {
  expect(shippedMarkdown).toEqual(
    expect.arrayContaining(['README.md', 'CHANGELOG.md', 'CONTRIBUTING.md', 'docs/options.md']),
  );
  expect(shipped.filter((file) => file.startsWith('docs/api/'))).toEqual([]);
});

test.each(shippedMarkdown)('%s: every relative link resolves to a shipped file, every anchor to a heading', (file) => {
  const problems: string[] = [];
  for (const target of linkTargets(readFileSync(join(ROOT, file), 'utf8'))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      if (!/^(https:|mailto:)/.test(target)) problems.push(`${target}: only https: and mailto: addresses`);
      continue;
    }
    const [path, fragment] = target.split('#', 2);
    const resolved = path === '' ? file : normalize(join(dirname(file), decodeURIComponent(path))).replace(/\\/g, '/');
    if (!shipped.includes(resolved)) {
      problems.push(`${target}: ${resolved} is not in the tarball`);
      continue;
    }
    if (fragment !== undefined && resolved.endsWith('.md')) {
      if (!anchors(readFileSync(join(ROOT, resolved), 'utf8')).has(fragment)) {
        problems.push(`${target}: no heading "#${fragment}" in ${resolved}`);
      }
    }
  }
  expect(problems).toEqual([]);
});

test('package.json names no homepage, bugs or repository: there is no public address yet', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  expect({ homepage: pkg.homepage, bugs: pkg.bugs, repository: pkg.repository }).toEqual({
    homepage: undefined,
    bugs: undefined,
    repository: undefined,
  });
});

test('README.md stays a page for users: about 300 lines at most, the reference lives in docs/', () => {
  expect(readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(320);
});

test.each(shippedMarkdown)('%s speaks to readers, not of trackers or work sessions', (file) => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  expect(
    text.match(/\bissue\s*#?\d+|\b(?:github )?issues?\s+(?:tracker|number)|#\d{1,4}\b|\bsessions?\b/gi),
  ).toBeNull();
});

describe('the link reader', () => {
  test('reads inline and HTML links, not code', () => {
    expect(linkTargets('[a](b.md) `[x](y.md)` <a href="c.md">c</a>\n```md\n[d](e.md)\n```\n[f](g.md#h "t")')).toEqual([
      'b.md',
      'g.md#h',
      'c.md',
    ]);
  });

  test('makes anchors as GitHub does', () => {
    expect([...anchors('# `mangopay()`\n## What is retried, and what never is\n## A\n## A\n')]).toEqual([
      'mangopay',
      'what-is-retried-and-what-never-is',
      'a',
      'a-1',
    ]);
  });
});
