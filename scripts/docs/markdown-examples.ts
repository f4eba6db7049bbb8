/**
 * Code blocks in the README and in docs/ are copies of runnable files. A marker line
 *
 *     <!-- example: examples/recipes/quick-start.ts -->
 *
 * right before a fenced block names the file (from the repository root) the block copies in full.
 * `npm run docs:sync` rewrites every marked block from its file; `npm run docs:sync -- --check` (and
 * `__tests__/docs/markdown-examples.test.ts`) fails on a block that differs from its file, a marker
 * naming a missing file or not followed by a block, and a TypeScript or JavaScript block without a
 * marker (code a reader would copy must be code CI runs).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
const MARKER = /^<!--\s*example:\s*(\S+)\s*-->\s*$/;
const FENCE = /^(`{3,}|~{3,})\s*([\w-]*)/;
/** Languages whose blocks must be marked: code a reader copies and runs. */
const CODE_LANGUAGES = new Set(['ts', 'typescript', 'tsx', 'js', 'javascript', 'mjs', 'cjs', 'jsx']);

/** The Markdown files whose code is checked: README.md and every `.md` under docs/. */
export function markdownFiles(root = ROOT): string[] {
  const files = [join(root, 'README.md')];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) files.push(path);
    }
  };
  walk(join(root, 'docs'));
  return files;
}

/** The fence language for a file: `ts` for TypeScript, `js` for JavaScript. */
export function fenceLanguage(file: string): string {
  return ['.ts', '.mts', '.cts'].includes(extname(file)) ? 'ts' : 'js';
}

export interface Problem {
  /** `README.md:12` */
  where: string;
  message: string;
}

interface Block {
  /** Index of the opening fence line. */
  open: number;
  /** Index of the closing fence line. */
  close: number;
  language: string;
  fence: string;
}

function blocks(lines: string[]): Block[] {
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const match = FENCE.exec(lines[i]);
    if (!match) continue;
    const fence = match[1];
    let close = i + 1;
    while (close < lines.length && !lines[close].trimEnd().startsWith(fence)) close += 1;
    found.push({ open: i, close, language: match[2].toLowerCase(), fence });
    i = close;
  }
  return found;
}

function fileText(root: string, path: string): string | undefined {
  const file = join(root, path);
  return existsSync(file) ? readFileSync(file, 'utf8').replace(/\s+$/, '') : undefined;
}

/**
 * Checks one Markdown text; with `fix`, also returns the text with every marked block rewritten from
 * its file (problems other than drift are still reported).
 */
export function checkMarkdown(
  text: string,
  name: string,
  root = ROOT,
  fix = false,
): { problems: Problem[]; fixed: string } {
  const lines = text.split('\n');
  const problems: Problem[] = [];
  const replacements: Array<{ from: number; to: number; lines: string[] }> = [];
  const all = blocks(lines);
  const byOpen = new Map(all.map((block) => [block.open, block]));
  const marked = new Set<number>();

  lines.forEach((line, index) => {
    const marker = MARKER.exec(line);
    if (!marker) return;
    const where = `${name}:${index + 1}`;
    let next = index + 1;
    while (next < lines.length && lines[next].trim() === '') next += 1;
    const block = byOpen.get(next);
    if (block === undefined) {
      problems.push({ where, message: `marker for ${marker[1]} is not followed by a fenced code block` });
      return;
    }
    marked.add(block.open);
    const content = fileText(root, marker[1]);
    if (content === undefined) {
      problems.push({ where, message: `marker names ${marker[1]}, which does not exist` });
      return;
    }
    const language = fenceLanguage(marker[1]);
    const current = lines.slice(block.open + 1, block.close).join('\n');
    if (current !== content || block.language !== language) {
      if (fix) {
        replacements.push({
          from: block.open,
          to: block.close,
          lines: [`${block.fence}${language}`, ...content.split('\n'), block.fence],
        });
      } else {
        problems.push({
          where,
          message: `the block differs from ${marker[1]} (run \`npm run docs:sync\` to copy the file into it)`,
        });
      }
    }
  });

  for (const block of all) {
    if (CODE_LANGUAGES.has(block.language) && !marked.has(block.open)) {
      problems.push({
        where: `${name}:${block.open + 1}`,
        message: `a ${block.language} block without an \`<!-- example: path -->\` marker: make it a file CI runs`,
      });
    }
  }

  let out = lines;
  for (const change of replacements.sort((a, b) => b.from - a.from)) {
    out = [...out.slice(0, change.from), ...change.lines, ...out.slice(change.to + 1)];
  }
  return { problems, fixed: out.join('\n') };
}

const INDEX_BEGIN = '<!-- recipes:begin (npm run docs:sync writes this list from docs/recipes/*.md) -->';
const INDEX_END = '<!-- recipes:end -->';
export const RECIPES_INDEX = 'docs/recipes/README.md';

/** The list of recipe pages: one line per `docs/recipes/*.md` but the index, titled by its `# ` heading. */
export function recipeList(root = ROOT): string {
  const dir = join(root, 'docs/recipes');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .sort()
    .map((name) => {
      const title = /^# (.+)$/m.exec(readFileSync(join(dir, name), 'utf8'))?.[1] ?? name;
      return `- [${title}](${name})`;
    })
    .join('\n');
}

/** The index with its generated list replaced by the current one (undefined: no begin/end markers). */
export function syncRecipeIndex(text: string, root = ROOT): string | undefined {
  const begin = text.indexOf(INDEX_BEGIN);
  const end = text.indexOf(INDEX_END);
  if (begin < 0 || end < begin) return undefined;
  return `${text.slice(0, begin + INDEX_BEGIN.length)}\n\n${recipeList(root)}\n\n${text.slice(end)}`;
}

function main(args: string[]): void {
  const check = args.includes('--check');
  let count = 0;
  for (const file of markdownFiles()) {
    const name = relative(ROOT, file);
    const text = readFileSync(file, 'utf8');
    const { problems, fixed } = checkMarkdown(text, name, ROOT, !check);
    for (const problem of problems) console.log(`${problem.where}: ${problem.message}`);
    count += problems.length;
    if (!check && fixed !== text) {
      writeFileSync(file, fixed);
      console.log(`${name}: blocks rewritten from their files`);
    }
  }
  const index = join(ROOT, RECIPES_INDEX);
  const text = readFileSync(index, 'utf8');
  const synced = syncRecipeIndex(text);
  if (synced === undefined) {
    console.log(`${RECIPES_INDEX}: the recipes:begin / recipes:end markers are missing`);
    count += 1;
  } else if (synced !== text) {
    if (check) {
      console.log(`${RECIPES_INDEX}: the list of recipes is not up to date (run \`npm run docs:sync\`)`);
      count += 1;
    } else {
      writeFileSync(index, synced);
      console.log(`${RECIPES_INDEX}: list of recipes rewritten`);
    }
  }
  if (count > 0) process.exitCode = 1;
}

if (require.main === module) main(process.argv.slice(2));
