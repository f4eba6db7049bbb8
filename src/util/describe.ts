/**
 * Describes a value's kind for error messages, without echoing strings (they may be secrets).
 * Numbers are shown only with `revealNumbers` (off for values that may be a secret given with the wrong type).
 */
export function describe(value: unknown, revealNumbers = true): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  if (typeof value === 'number')
    return Number.isNaN(value) ? 'NaN' : revealNumbers ? `the number ${value}` : 'a number';
  return typeof value === 'object' ? 'an object' : typeof value;
}
