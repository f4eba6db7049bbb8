import { promises as fs } from 'node:fs';
import { AssertionSourceError } from '../../errors';
import { safeCause } from '../../security/redact';
import { refuse } from './assertion-key';
import { parseAssertion, refuseExpired, type AssertionProvider, type HeldAssertion } from './provided-assertion';

/** A held assertion is read again when it expires within this margin, even if the file looks unchanged. */
export const REREAD_BEFORE_EXPIRY_MS = 60_000;

/** The file as last read: its stamp (inode, size, mtime, ctime) and the assertion it held. */
interface ReadState {
  readonly stamp: string;
  readonly held: HeldAssertion;
}

/**
 * A provider reading the assertion from a token file the platform keeps fresh (a Kubernetes projected
 * service-account token, `/var/run/secrets/tokens/…`; an Azure/GCP federated token file; a SPIFFE
 * helper's JWT-SVID file). Per call (one token request): one `stat`, and a read only when the file
 * changed (its inode, size, mtime or ctime: the kubelet's atomic swap changes the inode) or the held
 * assertion expires within 60 s. The content (whitespace trimmed) must be a compact JWS with an `exp`;
 * one already expired by the plugin's clock is never returned. Errors (`AssertionSourceError`) name the
 * file, never its content. The path is checked now (`OAuth2OptionsError` naming `factory.path`).
 *
 * @example
 * ```ts
 * import { jwtBearer, assertionFile } from 'axios-oauth2-bearer/client-auth';
 *
 * attachOAuth2(api, { tokenUrl, clientId, clientSecret, grant: jwtBearer(assertionFile('/var/run/secrets/tokens/api')) });
 * ```
 */
export function assertionFile(path: string): AssertionProvider {
  return fileProvider(path, 'assertionFile');
}

/** {@link assertionFile}, its path checked as the input of `factory` (e.g. `clientAssertionFile.path`). */
export function fileProvider(path: string, factory: string): AssertionProvider {
  if (typeof path !== 'string' || path.trim() === '')
    refuse(`${factory}.path`, 'must be a non-empty string (a file path)');
  const source = `file ${path}`;
  let last: ReadState | undefined;
  const unavailable = (error: unknown, what: string) =>
    new AssertionSourceError('unavailable', source, `The assertion ${source} could not be ${what}`, {
      cause: safeCause(error, last ? [last.held.assertion] : []),
    });
  return async ({ signal, now }) => {
    let stamp: string;
    try {
      const stats = await fs.stat(path);
      stamp = `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
    } catch (error) {
      throw unavailable(error, 'accessed');
    }
    if (last === undefined || last.stamp !== stamp || last.held.expiresAt - now <= REREAD_BEFORE_EXPIRY_MS) {
      let content: string;
      try {
        content = await fs.readFile(path, { encoding: 'utf8', signal });
      } catch (error) {
        throw unavailable(error, 'read');
      }
      last = { stamp, held: parseAssertion(content.trim(), source) };
    }
    refuseExpired(last.held, now, source);
    return last.held.assertion;
  };
}
