import { AxiosHeaders } from 'axios';

/** What a masked credential reads as in a safe view. */
export const REDACTED = '[redacted]';

/** Keys whose values are credentials wherever they appear (headers, `auth`, `proxy.auth`, bodies). */
const CREDENTIAL_KEYS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  // A DPoP proof (RFC 9449) is a credential header too.
  'dpop',
  'auth',
  'password',
  'client_secret',
  'access_token',
  'refresh_token',
  // Token exchange (RFC 8693): the subject and actor tokens, on the wire and in `oauth2` (lower-cased).
  'subject_token',
  'actor_token',
  'subjecttoken',
  'actortoken',
]);

/** How deep a safe view follows plain objects (a request config is shallow). */
const MAX_DEPTH = 6;

function maskCredential(value: unknown): string {
  // Keep the scheme (`Bearer`, `Basic`) for diagnostics, never the credential.
  const scheme = typeof value === 'string' ? /^([A-Za-z][\w.-]*) /.exec(value)?.[1] : undefined;
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}

/** AxiosHeaders of this axios or of another copy in the process (an SDK may bring its own). */
function isAxiosHeaders(value: object): value is AxiosHeaders {
  if (value instanceof AxiosHeaders) return true;
  const candidate = value as { constructor?: { name?: string }; toJSON?: unknown };
  return candidate.constructor?.name === 'AxiosHeaders' && typeof candidate.toJSON === 'function';
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function safeObject(source: object, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    const shown = CREDENTIAL_KEYS.has(key.toLowerCase()) ? maskCredential(value) : safeValue(value, depth + 1);
    if (shown !== undefined) out[key] = shown;
  }
  return out;
}

/**
 * A JSON- and inspect-safe rendering of `value`: primitives, arrays and plain objects are copied
 * with credential keys masked; headers become a plain object (masked); anything else (agents,
 * sockets, streams, signals, cancel tokens, buffers, class instances) becomes `[ClassName]`, so
 * nothing reachable from it is shown. Functions are left out.
 */
export function safeValue(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (depth > MAX_DEPTH) return '[Object]';
  if (isAxiosHeaders(value)) return safeObject(value.toJSON(), depth);
  if (Array.isArray(value)) return value.map((item: unknown) => safeValue(item, depth + 1));
  if (isPlainObject(value)) return safeObject(value, depth);
  if (value instanceof URLSearchParams) return safeObject(Object.fromEntries(value), depth);
  return `[${(value as { constructor?: { name?: string } }).constructor?.name || 'Object'}]`;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

function hidden(value: unknown): PropertyDescriptor {
  return { value, enumerable: false, configurable: true, writable: true };
}

/** Makes `JSON.stringify(target)` show `render()` (a non-enumerable `toJSON`). */
export function serialiseAs(target: object, render: () => unknown): void {
  Object.defineProperty(target, 'toJSON', hidden(render));
}

/**
 * Makes `JSON.stringify(target)` and `util.inspect(target)` show `render()` instead of `target`'s
 * own properties, which stay as they are for code that reads them (and for a re-send of a config).
 */
export function showAs(target: object, render: () => unknown): void {
  serialiseAs(target, render);
  Object.defineProperty(target, INSPECT, hidden(render));
}
