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
