/**
 * Frees the connection of a response whose body nobody will read: a stream body (`responseType:
 * 'stream'`) holds its socket until it is consumed, so one left alone keeps an agent slot busy
 * until the server's keep-alive time-out. It is destroyed (a hostile server could send a body
 * without end, so draining it is no option). Other bodies were read by axios already.
 */
export function releaseBody(response: { data?: unknown } | undefined): void {
  const body = response?.data as { pipe?: unknown; destroy?: unknown } | null | undefined;
  if (body && typeof body.pipe === 'function' && typeof body.destroy === 'function') {
    (body as { destroy(): void }).destroy();
  }
}
