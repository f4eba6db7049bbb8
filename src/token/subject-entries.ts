import { createHmac, randomBytes } from 'node:crypto';
import { OAuth2RequestOptionsError } from '../errors';
import type { Subject, SubjectGrant } from '../contracts/grant';
import type { BoundSubjectGrant } from '../contracts/grant';
import type { TokenCache } from './token-cache';
import type { StoredToken } from '../store/token-store';
import { describe } from '../util/describe';

/** Makes the token entry of one subject for a selection (`selectorKey`), named by its keyed hash. */
export type SubjectEntryFactory = (binding: BoundSubjectGrant, subjectKey: string) => TokenCache;

interface Held {
  readonly entry: TokenCache;
  /** The subject token's expiry (epoch ms), when known: past it, the entry is not used. */
  readonly notAfter?: number;
}

function subjectError(where: string, problem: string): OAuth2RequestOptionsError {
  return new OAuth2RequestOptionsError(where, `axios-oauth2-bearer: ${problem}`);
}

function expired(where: string, notAfter: number): OAuth2RequestOptionsError {
  return subjectError(
    where,
    `the subject token of "${where}" expired at ${new Date(notAfter).toISOString()}: no token is exchanged for it`,
  );
}

/**
 * The subject of a request or a handle call, checked: undefined when none is named (the caller
 * decides what that means). `where` names the option in errors; the token itself is never shown.
 */
export function checkedSubject(where: string, token: unknown, expiresAt: unknown): Subject | undefined {
  if (token === undefined) return undefined;
  if (typeof token !== 'string' || token === '') {
    throw subjectError(where, `"${where}" must be a non-empty string, got ${describe(token, false)}`);
  }
  if (expiresAt !== undefined && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt))) {
    throw subjectError(
      `${where}ExpiresAt`,
      `"${where}ExpiresAt" must be a number (epoch ms), got ${describe(expiresAt)}`,
    );
  }
  return expiresAt === undefined ? { token } : { token, expiresAt };
}

/**
 * The token entries of a grant whose tokens are per subject (token exchange, RFC 8693): one
 * {@link TokenCache} per (selection, subject), kept up to the grant's `maxSubjects`, least recently
 * used dropped first (a dropped entry is retired like the attachment's other entries).
 *
 * An entry is named by HMAC-SHA256 of the selection and the subject token under a random key made
 * for this attachment: the map key, the entry's store key (its cache key) and anything derived from
 * them never hold the subject token, and no one without the key can confirm a guessed token from them.
 */
export class SubjectEntries {
  private readonly key = randomBytes(32);
  /** Least recently used first (Map order). */
  private readonly held = new Map<string, Held>();

  constructor(
    readonly grant: SubjectGrant,
    private readonly clock: () => number,
  ) {}

  /**
   * The entry of `subject` for the selection `selectorKey`, made by `make` on first use. Throws
   * `OAuth2RequestOptionsError` (`where`) when the subject token has expired: no token is asked for it.
   */
  entry(selectorKey: string, subject: Subject, where: string, make: SubjectEntryFactory): TokenCache {
    const name = this.nameOf(selectorKey, subject.token);
    const now = this.clock();
    let held = this.held.get(name);
    if (held) this.held.delete(name);
    const notAfter = held ? held.notAfter : undefined;
    if (!held) {
      const binding = this.grant.bind(subject, now);
      if (binding.notAfter !== undefined && binding.notAfter <= now) throw expired(where, binding.notAfter);
      held = { entry: make(binding, name), notAfter: binding.notAfter };
    } else if (notAfter !== undefined && notAfter <= now) {
      // Expired since: forgotten (its token is never used again), and the request refused.
      held.entry.retire();
      throw expired(where, notAfter);
    }
    // Most recently used last.
    this.held.set(name, held);
    while (this.held.size > this.grant.maxSubjects) this.evictOldest();
    return held.entry;
  }

  /** The entry of `subject` for the selection when it is held, without making one (`invalidate`). */
  find(selectorKey: string, subject: Subject): TokenCache | undefined {
    return this.held.get(this.nameOf(selectorKey, subject.token))?.entry;
  }

  /** The tokens the subjects' entries hold now. */
  heldTokens(): StoredToken[] {
    return [...this.held.values()].flatMap(({ entry }) => entry.held() ?? []);
  }

  /** How many subjects' entries are kept. */
  get size(): number {
    return this.held.size;
  }

  private nameOf(selectorKey: string, token: string): string {
    return createHmac('sha256', this.key).update(selectorKey).update('\0').update(token).digest('base64url');
  }

  private evictOldest(): void {
    const [name, held] = this.held.entries().next().value as [string, Held];
    this.held.delete(name);
    held.entry.retire();
  }
}
