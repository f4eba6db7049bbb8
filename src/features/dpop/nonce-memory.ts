/** Origins whose nonce is remembered; the oldest goes first (a client talks to a few origins). */
const MAX_ORIGINS = 32;

/** The last `DPoP-Nonce` each origin sent (RFC 9449 §8, §9), bounded. */
export class NonceMemory {
  private readonly nonces = new Map<string, string>();

  get(origin: string): string | undefined {
    return this.nonces.get(origin);
  }

  /** Remembers `nonce` for `origin` (a blank or absurdly long value is ignored). */
  set(origin: string, nonce: string): void {
    if (nonce === '' || nonce.length > 1024 || this.nonces.get(origin) === nonce) return;
    this.nonces.delete(origin);
    if (this.nonces.size >= MAX_ORIGINS) this.nonces.delete(this.nonces.keys().next().value as string);
    this.nonces.set(origin, nonce);
  }
}
