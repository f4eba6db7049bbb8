/** One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1). */
export interface Challenge {
  /** Lower-cased auth scheme, e.g. `bearer`. */
  scheme: string;
  /** Parameters with lower-cased names and unquoted values. */
  params: Record<string, string>;
}

/** Splits on commas that are outside quoted strings. */
function splitOutsideQuotes(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i];
    if (ch === '\\' && quoted) {
      current += ch + (header[++i] ?? '');
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

function addParam(challenge: Challenge, text: string): void {
  const eq = text.indexOf('=');
  if (eq <= 0) return; // token68 or junk: not needed here
  const name = text.slice(0, eq).trim().toLowerCase();
  let value = text.slice(eq + 1).trim();
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
    value = value.slice(1, -1).replace(/\\(.)/g, '$1');
  challenge.params[name] = value;
}

/** Parses a `WWW-Authenticate` header value into its challenges. Lenient: never throws. */
export function parseWwwAuthenticate(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  for (const part of splitOutsideQuotes(header)) {
    const match = /^([!#$%&'*+.^_`|~\w-]+)(?:\s+(.*))?$/s.exec(part);
    const startsChallenge = match !== null && !/^\s*=/.test(part.slice(match[1].length));
    if (match && startsChallenge) {
      const challenge: Challenge = { scheme: match[1].toLowerCase(), params: {} };
      challenges.push(challenge);
      if (match[2]) addParam(challenge, match[2]);
    } else if (challenges.length > 0) {
      addParam(challenges[challenges.length - 1], part);
    }
  }
  return challenges;
}
