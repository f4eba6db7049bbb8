import type { ClientAuthAttachment } from '../../contracts/client-auth';
import { OAuth2OptionsError } from '../../errors';

/**
 * The assertion methods (RFC 7523 §2.2) and mutual TLS (RFC 8705 §2) send their parameters in a
 * form body: a JSON body or the legacy `query` format cannot carry them. Refused at attach time,
 * naming `tokenRequestFormat`.
 */
export function requireFormBody(method: string, rfc: string, attachment: ClientAuthAttachment): void {
  if (attachment.tokenRequestFormat === 'form') return;
  throw new OAuth2OptionsError(
    'tokenRequestFormat',
    `axios-oauth2-bearer: option "tokenRequestFormat" must be 'form' with '${method}' (${rfc}), ` +
      `got '${attachment.tokenRequestFormat}'`,
  );
}
