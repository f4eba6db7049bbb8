/** Replaces every occurrence of each secret in `text` with `[redacted]`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  return out;
}

/**
 * A copy of a value parsed from a server's answer (JSON: strings, numbers, arrays, plain objects)
 * with every secret scrubbed from every string in it, keys included.
 */
export function scrubDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return scrub(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => scrubDeep(item, secrets)) as T;
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value; // an Error cause: made safe where it was caught
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[scrub(key, secrets)] = scrubDeep(item, secrets);
  return copy as T;
}

/**
 * A plain copy of a transport error (network failure, time-out) that keeps its name, message and
 * code but none of what axios attaches (request config with credentials, sockets, response).
 */
export function safeCause(error: unknown, secrets: readonly string[]): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(scrub(source.message, secrets));
  copy.name = source.name;
  const code = (source as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}

function shows(text: string | undefined, secrets: readonly string[]): boolean {
  return text !== undefined && secrets.some((secret) => secret && text.includes(secret));
}

function jsonOf(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined; // circular: not shown by JSON either
  }
}

/**
 * `error` itself when none of `secrets` shows in its message, stack or JSON; otherwise a
 * {@link safeCause} copy (a store's error may quote the token it was given, as ioredis's does).
 */
export function withoutSecrets(error: unknown, secrets: readonly string[]): unknown {
  if (!(error instanceof Error) || secrets.length === 0) return error;
  const leaks = shows(error.message, secrets) || shows(error.stack, secrets) || shows(jsonOf(error), secrets);
  return leaks ? safeCause(error, secrets) : error;
}
