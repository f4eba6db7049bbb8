import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { accessTokenDigest } from './fingerprint';

/** One key of {@link RedisTokenStoreOptions.encryptionKeys}: 32 random bytes and the id stored with each value it encrypts. */
export interface RedisEncryptionKey {
  /** Stored in clear next to each value, to find the key again: 1–64 of `A–Z a–z 0–9 . _ -`. */
  id: string;
  /** 32 bytes (AES-256), e.g. `Buffer.from(process.env.TOKEN_KEY!, 'base64')`. */
  key: Uint8Array;
}

/** The stored form of an encrypted token. `digest` (SHA-256 of the access token) serves compare-and-delete. */
interface Envelope {
  v: 1;
  kid: string;
  iv: string;
  tag: string;
  data: string;
  digest: string;
}

/** The GCM tag length, in bytes, written and the only one accepted: a shorter tag is easier to forge. */
const TAG_BYTES = 16;
/** The GCM nonce length, in bytes. */
const IV_BYTES = 12;

/** Why a value could not be decrypted; the message never holds key material or plaintext. */
export class DecryptionFailure extends Error {}

/**
 * AES-256-GCM of stored tokens. Encrypts with the first key; decrypts with whichever listed key
 * the value names, so keys can rotate: put the new key first, keep the old one listed until the
 * tokens it encrypted have expired. The Redis key name is bound in as associated data, so a value
 * copied under another key does not decrypt.
 */
export class TokenCipher {
  private readonly byId: Map<string, Uint8Array>;

  constructor(private readonly keys: readonly RedisEncryptionKey[]) {
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  seal(plaintext: string, keyName: string, accessToken: string): string {
    const { id, key } = this.keys[0];
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(keyName, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const envelope: Envelope = {
      v: 1,
      kid: id,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
      digest: accessTokenDigest(accessToken),
    };
    return JSON.stringify(envelope);
  }

  /**
   * @throws {DecryptionFailure} when the value is not an envelope, names an unknown key, has a tag or
   * nonce of another length than written (a truncated tag is refused, never checked on fewer bytes),
   * or fails authentication
   */
  open(text: string, keyName: string): string {
    const envelope = parseEnvelope(text);
    if (!envelope) throw new DecryptionFailure('the stored token is not encrypted');
    const key = this.byId.get(envelope.kid);
    if (!key) throw new DecryptionFailure(`the stored token is encrypted with key id "${envelope.kid}", not listed`);
    const iv = Buffer.from(envelope.iv, 'base64');
    const tag = Buffer.from(envelope.tag, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new DecryptionFailure(`the stored token's nonce or tag is not of the length written (altered value)`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(keyName, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptionFailure(
        `the stored token does not decrypt with key id "${envelope.kid}" (wrong key or altered value)`,
      );
    }
  }
}

function parseEnvelope(text: string): Envelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  const strings = ['kid', 'iv', 'tag', 'data', 'digest'].every((f) => typeof o[f] === 'string');
  return o.v === 1 && strings ? (o as unknown as Envelope) : undefined;
}
