/** What a proof names of a request URL: `htu` (the URL without query and fragment, RFC 9449 §4.2) and the origin. */
export interface ProofTarget {
  readonly htu: string;
  readonly origin: string;
}

/** Scheme and authority (`http(s)://host[:port]`) whose origin is remembered (a client talks to a few). */
const ORIGIN_MEMO_SIZE = 32;

/**
 * An absolute http(s) URL cut where the URL parser cuts it: scheme and authority (not empty; no `/`, `\`, `?`,
 * `#`, whitespace or control character in it), then the path up to the query or fragment.
 */
// eslint-disable-next-line no-control-regex
const SPLIT = /^(https?:\/\/[^/\\?#\s\u0000-\u001f\u007f]+)([^?#]*)/i;
/** A path the URL parser keeps as it is: only characters it never percent-encodes or rewrites. */
const PLAIN_PATH = /^(?:\/[\w\-.~!$&'()*+,;=:@%]*)*$/;
/** A `.` or `..` segment (`%2e` in any case counts as a dot), which the URL parser resolves. */
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:\/|$)/i;

/** The target by the URL parser: the reference the fast route must equal; undefined when `url` is not absolute. */
function parsedTarget(url: string): ProofTarget | undefined {
  try {
    const parsed = new URL(url);
    return { htu: `${parsed.origin}${parsed.pathname}`, origin: parsed.origin };
  } catch {
    return undefined;
  }
}

/**
 * The {@link ProofTarget} of each request URL, at the cost of two regular expression tests for the
 * usual URL (a plain path): the origin is the URL parser's, remembered per scheme and authority, and
 * the path is the URL's own, which the parser would keep as it is. Any other URL (dot segments,
 * characters the parser encodes, backslashes, whitespace, another scheme) goes through the URL parser
 * itself. A memo per URL would not do: an SDK puts ids in its paths, so most URLs are new.
 */
export class ProofTargets {
  /** Origin (or undefined: not a URL) per scheme and authority, bounded; the oldest goes first. */
  private readonly origins = new Map<string, string | undefined>();

  of(url: string): ProofTarget | undefined {
    const cut = SPLIT.exec(url);
    if (cut === null) return parsedTarget(url);
    const path = cut[2];
    if (!PLAIN_PATH.test(path) || DOT_SEGMENT.test(path)) return parsedTarget(url);
    const origin = this.originOf(cut[1]);
    return origin === undefined ? undefined : { htu: origin + (path || '/'), origin };
  }

  private originOf(authority: string): string | undefined {
    if (this.origins.has(authority)) return this.origins.get(authority);
    const origin = parsedTarget(authority)?.origin;
    if (this.origins.size >= ORIGIN_MEMO_SIZE) this.origins.delete(this.origins.keys().next().value as string);
    this.origins.set(authority, origin);
    return origin;
  }
}
