/** Reads a header from AxiosHeaders or a plain object, case-insensitively. */
export function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  let value = typeof h.get === 'function' ? h.get(name) : undefined;
  if (value === undefined || value === null) {
    const lower = name.toLowerCase();
    const key = Object.keys(h).find((k) => k.toLowerCase() === lower);
    value = key === undefined ? undefined : h[key];
  }
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : undefined;
}

/**
 * What `AxiosHeaders.has(name)` answers (a value other than `undefined` under `name` in any case; of
 * keys differing only in case, the last one counts, as in axios's lookup), for a lower-case `name`,
 * without axios's per-call normalising and checks: the request side asks it on every request.
 */
export function hasHeader(headers: object, lowerName: string): boolean {
  const keys = Object.keys(headers);
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i];
    if (key.length === lowerName.length && key.toLowerCase() === lowerName) {
      return (headers as Record<string, unknown>)[key] !== undefined;
    }
  }
  return false;
}
