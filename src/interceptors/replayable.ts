/**
 * Whether a request body (as axios holds it after transformRequest) can be sent again: strings,
 * buffers, typed arrays, blobs, URLSearchParams and FormData can; streams and async iterables
 * are consumed by the first attempt and cannot.
 */
export function isReplayableBody(data: unknown): boolean {
  if (data === null || data === undefined || typeof data !== 'object') return true;
  const body = data as { pipe?: unknown; getReader?: unknown; [Symbol.asyncIterator]?: unknown };
  if (typeof body.pipe === 'function' || typeof body.getReader === 'function') return false;
  return typeof body[Symbol.asyncIterator] !== 'function';
}
