import * as path from 'node:path';
import * as ts from 'typescript';

/** Type-checks one file with the project's compiler options; returns its diagnostics as text. */
function diagnosticsOf(file: string): string[] {
  const configPath = path.join(__dirname, '..', '..', 'tsconfig.json');
  const { config } = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configPath));
  const program = ts.createProgram([file], { ...parsed.options, noEmit: true });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('types', () => {
  test("attachOAuth2 type-checks with the default export and other axios copies (axios-1.7, the Mangopay SDK's own), oauth2 key typed", () => {
    expect(diagnosticsOf(path.join(__dirname, 'axios-copies.ts'))).toEqual([]);
  });
  test("the README's examples (client authentication, discovery, several tokens, DPoP, observability, close, testing server) type-check", () => {
    expect(diagnosticsOf(path.join(__dirname, 'readme-examples.ts'))).toEqual([]);
  });
});
