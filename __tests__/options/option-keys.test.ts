import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { attachOAuth2, OAuth2OptionsError } from '../../src';
import axios from 'axios';

const root = path.join(__dirname, '..', '..');
const src = (file: string) => path.join(root, 'src', file);

/** One text edit: `after` is inserted right after the first occurrence of `anchor` in `file`. */
interface Edit {
  file: string;
  anchor: string;
  after: string;
}

/** Type-checks src/options/validate-options.ts with `edits` applied in memory; returns the diagnostics as text. */
function diagnosticsWith(edits: Edit[]): string[] {
  const { config } = ts.readConfigFile(path.join(root, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  const options = { ...ts.parseJsonConfigFileContent(config, ts.sys, root).options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const mine = edits.filter((e) => path.resolve(fileName) === e.file);
    if (mine.length === 0) return original(fileName, languageVersion, ...rest);
    let text = fs.readFileSync(fileName, 'utf8');
    for (const { anchor, after } of mine) {
      const at = text.indexOf(anchor);
      if (at < 0) throw new Error(`anchor not found in ${fileName}: ${anchor}`);
      text = text.slice(0, at + anchor.length) + after + text.slice(at + anchor.length);
    }
    return ts.createSourceFile(fileName, text, languageVersion);
  };
  const program = ts.createProgram([src('options/validate-options.ts')], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('option key lists are derived from the option types', () => {
  test('adding a key to any option type without listing it fails to compile, naming the key', () => {
    const edits: Edit[] = [
      {
        file: src('options/options.ts'),
        anchor: 'export interface OAuth2Options {',
        after: ' addedTopLevel?: number;',
      },
      { file: src('options/options.ts'), anchor: 'export interface RetryOptions {', after: ' addedRetry?: number;' },
      {
        file: src('options/options.ts'),
        anchor: 'export interface LockoutOptions {',
        after: ' addedLockout?: number;',
      },
      {
        file: src('options/options.ts'),
        anchor: 'export interface RejectionOptions {',
        after: ' addedRejection?: number;',
      },
      { file: src('options/options.ts'), anchor: "type: 'password';", after: ' addedGrant?: string;' },
      { file: src('events/hooks.ts'), anchor: 'export interface OAuth2Hooks {', after: ' addedHook?(): void;' },
      { file: src('options/presets.ts'), anchor: 'headers: Record<string, string>;', after: ' addedPreset?: string;' },
    ];
    const diagnostics = diagnosticsWith(edits);
    for (const key of [
      'addedTopLevel',
      'addedRetry',
      'addedLockout',
      'addedRejection',
      'addedGrant',
      'addedHook',
      'addedPreset',
    ]) {
      expect(diagnostics.filter((d) => d.includes(`'${key}'`))).toHaveLength(1);
    }
    expect(diagnostics).toHaveLength(7);
  });

  test('every key of the types is accepted at run time (a wrong value is a type error naming it, not an unknown option)', () => {
    const base = { tokenUrl: 'http://127.0.0.1:1/token', clientId: 'id', clientSecret: 'secret' };
    const keys = [
      'scope',
      'grant',
      'clientAuthentication',
      'basicEncoding',
      'acceptTokenTypes',
      'tokenRequestFormat',
      'tokenRequestHeaders',
      'tokenRequestParams',
      'apiOrigins',
      'refreshSkewSeconds',
      'backgroundRefresh',
      'store',
      'tokenHttpClient',
      'tokenRequestTimeoutMs',
      'maxTokenResponseBytes',
      'allowInsecureHttp',
      'isTokenRejected',
      'authorizationHeader',
      'retry',
      'lockout',
      'rejection',
      'storeTimeoutMs',
      'failureCacheMs',
      'hooks',
      'clock',
      'random',
    ];
    for (const key of keys) {
      const attach = () => attachOAuth2(axios.create(), { ...base, [key]: Symbol('wrong') });
      expect(attach).toThrow(OAuth2OptionsError);
      expect(attach).not.toThrow(/unknown option/);
    }
    expect(() => attachOAuth2(axios.create(), { ...base, nope: 1 } as never)).toThrow(/unknown option "nope"/);
  });
});
