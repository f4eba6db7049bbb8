/**
 * Code blocks in README.md and docs/ are copies of the files their marker names (checked for drift),
 * and no TypeScript or JavaScript block is left without a marker (so none escapes the recipe runner).
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  checkMarkdown,
  markdownFiles,
  RECIPES_INDEX,
  ROOT,
  syncRecipeIndex,
} from '../../scripts/docs/markdown-examples';

test.each(markdownFiles().map((file) => [relative(ROOT, file), file]))(
  '%s: every code block is its file, every ts/js block has a marker',
  (name, file) => {
    expect(checkMarkdown(readFileSync(file, 'utf8'), name).problems).toEqual([]);
  },
);

describe('the check', () => {
  const root = mkdtempSync(join(tmpdir(), 'md-examples-'));
  mkdirSync(join(root, 'examples'));
  writeFileSync(join(root, 'examples/a.ts'), "console.log('a');\n");
  const marked = (body: string, language = 'ts') =>
    `# Title\n\n<!-- example: examples/a.ts -->\n\n\`\`\`${language}\n${body}\n\`\`\`\n`;

  test('accepts a block equal to its file', () => {
    expect(checkMarkdown(marked("console.log('a');"), 'x.md', root).problems).toEqual([]);
  });

  test('reports a block that drifted from its file, and docs:sync rewrites it', () => {
    const text = marked("console.log('b');");
    expect(checkMarkdown(text, 'x.md', root).problems).toEqual([
      { where: 'x.md:3', message: expect.stringContaining('the block differs from examples/a.ts') },
    ]);
    const { fixed, problems } = checkMarkdown(text, 'x.md', root, true);
    expect(problems).toEqual([]);
    expect(fixed).toBe(marked("console.log('a');"));
  });

  test('reports a ts or js block without a marker, and leaves shell and text blocks alone', () => {
    const text = "```ts\nconst a = 1;\n```\n\n```js\nrequire('x');\n```\n\n```sh\nnpm test\n```\n\n```\nplain\n```\n";
    expect(checkMarkdown(text, 'y.md', root).problems.map((problem) => problem.where)).toEqual(['y.md:1', 'y.md:5']);
  });

  test('reports a marker naming a missing file or followed by no block', () => {
    const text = '<!-- example: examples/missing.ts -->\n```ts\nx\n```\n\n<!-- example: examples/a.ts -->\ntext\n';
    expect(checkMarkdown(text, 'z.md', root).problems.map((problem) => problem.message)).toEqual([
      'marker names examples/missing.ts, which does not exist',
      'marker for examples/a.ts is not followed by a fenced code block',
    ]);
  });
});

test('docs/recipes/README.md lists every page of docs/recipes, pages added by others included (npm run docs:sync)', () => {
  const text = readFileSync(join(ROOT, RECIPES_INDEX), 'utf8');
  expect(syncRecipeIndex(text)).toBe(text);
  const listed = [...text.matchAll(/^- \[.+\]\((.+\.md)\)$/gm)].map((match) => match[1]);
  expect(listed).toEqual(expect.arrayContaining(['lockout.md', 'two-accounts.md', 'sdk-drop-in.md']));
});

test('the recipe list is rebuilt from the pages: a new page appears with its title', () => {
  const root = mkdtempSync(join(tmpdir(), 'md-index-'));
  mkdirSync(join(root, 'docs/recipes'), { recursive: true });
  writeFileSync(join(root, 'docs/recipes/b-task.md'), '# Doing B\n\ntext\n');
  writeFileSync(join(root, 'docs/recipes/a-task.md'), '# Doing A\n');
  const index = `# Recipes\n\n<!-- recipes:begin (npm run docs:sync writes this list from docs/recipes/*.md) -->\n- [Old](old.md)\n<!-- recipes:end -->\n`;
  expect(syncRecipeIndex(index, root)).toBe(
    `# Recipes\n\n<!-- recipes:begin (npm run docs:sync writes this list from docs/recipes/*.md) -->\n\n- [Doing A](a-task.md)\n- [Doing B](b-task.md)\n\n<!-- recipes:end -->\n`,
  );
});
