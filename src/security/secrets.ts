import { formEncode } from '../util/form-encode';
import { headerValue } from '../util/headers';
import { safeCause, scrub, scrubDeep, withoutSecrets } from './redact';

/** Shorter values are not scrubbed: they would mangle unrelated text. */
const MIN_LENGTH = 4;

/**
 * Everything the plugin sent to a server in one exchange that must never come back out of it: the
 * client secret and its Basic credentials, the password, refresh and access tokens, client
 * assertions, a custom grant's parameter values, DPoP proofs. Each value is held in every form a
 * server may echo it (as is, form-encoded, percent-encoded). Every path that shows what a server
 * answered or what was caught (errors, their `cause`, hook payloads, channel messages) scrubs it
 * through here: a value added once is scrubbed everywhere.
 */
export class Secrets {
  private readonly forms = new Set<string>();
  private sorted?: string[];

  /** Adds `values` (undefined and short ones ignored) in every form a server may echo. */
  add(...values: Array<string | undefined>): this {
    for (const value of values) {
      if (value === undefined) continue;
      for (const form of [value, formEncode(value), encodeURIComponent(value)])
        if (form.length >= MIN_LENGTH) this.forms.add(form);
    }
    this.sorted = undefined;
    return this;
  }

  /** Adds every value of `other`. */
  merge(other: Secrets): this {
    for (const form of other.forms) this.forms.add(form);
    this.sorted = undefined;
    return this;
  }

  /** Every form, longest first (so a secret is scrubbed whole before any shorter secret inside it). */
  get list(): readonly string[] {
    return (this.sorted ??= [...this.forms].sort((a, b) => b.length - a.length));
  }

  scrub(text: string): string {
    return scrub(text, this.list);
  }

  /** A copy of a value parsed from a server's answer, every string (keys included) scrubbed. */
  scrubDeep<T>(value: T): T {
    return scrubDeep(value, this.list);
  }

  /** A plain, scrubbed copy of a caught error (name, message, code; nothing it carried). */
  safeCause(error: unknown): Error {
    return safeCause(error, this.list);
  }

  /** `error` itself when no secret shows in it, else its {@link safeCause}. */
  withoutSecrets(error: unknown): unknown {
    return withoutSecrets(error, this.list);
  }
}

/** What an API request carried of the plugin's: its access token, and the DPoP proof sent with it. */
export function apiRequestSecrets(token: string | undefined, headers: unknown): Secrets {
  const secrets = new Secrets().add(token);
  // Only the plugin's own proof (sent with its DPoP token), and never the mask once redacted.
  const proof = token === undefined ? undefined : headerValue(headers, 'dpop');
  return proof === '[redacted]' ? secrets : secrets.add(proof);
}
