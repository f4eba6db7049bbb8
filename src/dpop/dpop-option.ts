import { OAuth2OptionsError } from '../errors';
import { describe } from '../options/describe';
import { checkKeys, DPOP_KEYS } from '../options/option-keys';
import { resolveDPoPKey, type DPoPKey } from './dpop-key';

/**
 * The `dpop` option, checked at attach time: `undefined`/`false` (off), `true` (a generated ES256
 * key) or `{ privateKey }` (imported now). `true` with a fleet `store` is refused: each process would
 * sign with its own key and fetch its own token, defeating the shared store.
 */
export function resolveDPoPOption(value: unknown, hasStore: boolean): DPoPKey | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) {
    if (hasStore) {
      throw new OAuth2OptionsError(
        'dpop',
        'axios-oauth2-bearer: option "dpop: true" generates a key per process, so with a shared "store" every ' +
          'process would fetch its own token bound to its own key; pass the same key to every process instead: ' +
          'dpop: { privateKey } (PEM, KeyObject or private JWK)',
      );
    }
    return resolveDPoPKey(undefined, true);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OAuth2OptionsError(
      'dpop',
      `axios-oauth2-bearer: option "dpop" must be true or { privateKey }, got ${describe(value, false)}`,
    );
  }
  checkKeys('dpop', value, DPOP_KEYS);
  return resolveDPoPKey((value as { privateKey?: unknown }).privateKey, false);
}

/** With DPoP on, the accepted token types must include DPoP (the default is `['dpop']`). */
export function dpopTokenTypes(given: ReadonlySet<string> | undefined): ReadonlySet<string> {
  if (given === undefined) return new Set(['dpop']);
  if (!given.has('dpop')) {
    throw new OAuth2OptionsError(
      'acceptTokenTypes',
      'axios-oauth2-bearer: option "acceptTokenTypes" must include "DPoP" when "dpop" is set',
    );
  }
  return given;
}
