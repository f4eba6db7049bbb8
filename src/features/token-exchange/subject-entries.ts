import { createHmac, randomBytes } from 'node:crypto';
import { OAuth2RequestOptionsError } from '../../errors';
import type {
  BoundSubjectGrant,
  Subject,
  SubjectEntries,
  SubjectEntryFactory,
  SubjectOptions,
} from '../../contracts/grant';
import { describe } from '../../util/describe';
import type { SubjectTokenValue } from './token-exchange';

/** How the subjects' entries of one grant are made, found and bounded. */
export interface SubjectRules {
  /** Binds one subject (its expiry, its parameters). */
  readonly bind: (subject: Subject) => BoundSubjectGrant;
  /** Derives the subject of a request from its config (`tokenExchange({ subjectToken })`). */
  readonly derive?: (config: unknown) => SubjectTokenValue;
  readonly maxSubjects: number;
}

interface Held<T> {
  readonly entry: T;
  /** The subject token's expiry (epoch ms), when known: from then on, the entry is not used. */
  readonly notAfter?: number;
}

function requestError(where: string, problem: string): OAuth2RequestOptionsError {
  return new OAuth2RequestOptionsError(where, `axios-oauth2-bearer: ${problem}`);
}

function expired(where: string, notAfter: number): OAuth2RequestOptionsError {
  return requestError(
    where,
    `the subject token of "${where}" expired at ${new Date(notAfter).toISOString()}: no token is exchanged for it`,
  );
}

/** A subject as given (`where` names it in errors; the token itself is never shown); undefined when none. */
function checkedSubject(where: string, token: unknown, expiresAt: unknown): Subject | undefined {
  if (token === undefined) return undefined;
  if (typeof token !== 'string' || token === '') {
    throw requestError(where, `"${where}" must be a non-empty string, got ${describe(token, false)}`);
  }
  if (expiresAt !== undefined && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt))) {
    throw requestError(
      `${where}ExpiresAt`,
      `"${where}ExpiresAt" must be a number (epoch ms), got ${describe(expiresAt)}`,
    );
  }
  return expiresAt === undefined ? { token } : { token, expiresAt };
}

/** The subject `derive` finds in a request's config, checked; undefined when none. */
function derivedSubject(derive: SubjectRules['derive'], config: unknown): Subject | undefined {
  if (derive === undefined) return undefined;
  let value: SubjectTokenValue;
  try {
    value = derive(config);
  } catch {
    // Not kept as a cause: what it threw may quote the token it was reading.
    throw requestError('tokenExchange.subjectToken', 'the subjectToken function of tokenExchange() threw');
  }
  const where = 'tokenExchange.subjectToken';
  if (typeof value === 'object' && value !== null) return checkedSubject(where, value.token, value.expiresAt);
  return checkedSubject(where, value === '' ? undefined : value, undefined);
}

/**
 * The subjects' token entries of one attachment: one per (selection, subject), kept up to
 * `maxSubjects`, least recently used dropped first (and retired).
 *
 * An entry is named by HMAC-SHA256 of the selection and the subject token under a random key made for
 * this attachment: the map key, the entry's store key (its cache key) and anything derived from them
 * never hold the subject token, and no one without the key can confirm a guessed token from them.
 */
export class KeyedSubjectEntries<T> implements SubjectEntries<T> {
  private readonly key = randomBytes(32);
  /** Least recently used first (Map order). */
  private readonly held = new Map<string, Held<T>>();

  constructor(
    private readonly rules: SubjectRules,
    private readonly clock: () => number,
    private readonly retire: (entry: T) => void,
  ) {}

  forRequest(selection: string, config: { readonly oauth2?: SubjectOptions }, make: SubjectEntryFactory<T>): T {
    const where = 'oauth2.subjectToken';
    const given = config.oauth2;
    const subject =
      checkedSubject(where, given?.subjectToken, given?.subjectTokenExpiresAt) ??
      derivedSubject(this.rules.derive, config);
    if (subject === undefined) {
      throw requestError(
        where,
        'this attachment exchanges a subject token per request (grant: tokenExchange()); the request names none (set oauth2.subjectToken, or the subjectToken function of tokenExchange())',
      );
    }
    return this.entry(selection, subject, where, make);
  }

  forHandle(
    method: string,
    selection: string,
    options: SubjectOptions | undefined,
    make?: SubjectEntryFactory<T>,
  ): T | undefined {
    const where = `${method}.subjectToken`;
    const subject = checkedSubject(where, options?.subjectToken, options?.subjectTokenExpiresAt);
    if (subject === undefined) {
      throw requestError(
        where,
        `${method}() on a token-exchange attachment needs { subjectToken } (grant: tokenExchange())`,
      );
    }
    if (make) return this.entry(selection, subject, where, make);
    return this.held.get(this.nameOf(selection, subject.token))?.entry;
  }

  entries(): T[] {
    return [...this.held.values()].map(({ entry }) => entry);
  }

  /** The entry of `subject` for `selection`, made by `make` on first use; refused once the subject token expired. */
  private entry(selection: string, subject: Subject, where: string, make: SubjectEntryFactory<T>): T {
    const name = this.nameOf(selection, subject.token);
    const now = this.clock();
    let held = this.held.get(name);
    if (held) {
      this.held.delete(name);
      if (held.notAfter !== undefined && held.notAfter <= now) {
        // Expired since: forgotten (its token is never used again), and the request refused.
        this.retire(held.entry);
        throw expired(where, held.notAfter);
      }
    } else {
      const binding = this.rules.bind(subject);
      if (binding.notAfter !== undefined && binding.notAfter <= now) throw expired(where, binding.notAfter);
      held = { entry: make(binding, name), notAfter: binding.notAfter };
    }
    // Most recently used last.
    this.held.set(name, held);
    while (this.held.size > this.rules.maxSubjects) this.evictOldest();
    return held.entry;
  }

  private nameOf(selection: string, token: string): string {
    return createHmac('sha256', this.key).update(selection).update('\0').update(token).digest('base64url');
  }

  private evictOldest(): void {
    const [name, held] = this.held.entries().next().value as [string, Held<T>];
    this.held.delete(name);
    this.retire(held.entry);
  }
}
