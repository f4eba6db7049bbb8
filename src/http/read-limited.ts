/**
 * Reads the body of an answer from the authorization server with a byte limit, whatever shape the adapter gave it: a Node stream
 * (http adapter), a WHATWG `ReadableStream` (fetch adapter), or an already-read string, buffer or
 * object (custom and mock adapters). A body over the limit is not read further: the stream is
 * destroyed, which closes the connection.
 */

/** The body was larger than the limit (it was not read whole). */
export const TOO_LARGE = Symbol('token response too large');

interface NodeReadable extends AsyncIterable<unknown> {
  destroy(error?: Error): unknown;
}

interface WebReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}

interface WebStream {
  getReader(): WebReader;
}

function isNodeReadable(data: unknown): data is NodeReadable {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as NodeReadable).destroy === 'function' &&
    typeof (data as NodeReadable)[Symbol.asyncIterator] === 'function'
  );
}

function isWebStream(data: unknown): data is WebStream {
  return typeof data === 'object' && data !== null && typeof (data as WebStream).getReader === 'function';
}

function abortedError(): Error {
  return Object.assign(new Error('the token response was aborted'), { code: 'ERR_CANCELED' });
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), 'utf8');
}

async function readNode(stream: NodeReadable, limit: number, signal: AbortSignal): Promise<string | typeof TOO_LARGE> {
  const onAbort = () => stream.destroy(abortedError());
  signal.addEventListener('abort', onAbort);
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      const buffer = toBuffer(chunk);
      size += buffer.length;
      if (size > limit) {
        stream.destroy();
        return TOO_LARGE;
      }
      chunks.push(buffer);
    }
    if (signal.aborted) throw abortedError();
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function readWeb(stream: WebStream, limit: number, signal: AbortSignal): Promise<string | typeof TOO_LARGE> {
  const reader = stream.getReader();
  const cancel = (): Promise<void> => reader.cancel().catch(() => undefined);
  const onAbort = (): void => void cancel();
  signal.addEventListener('abort', onAbort);
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      // A cancelled read ends as "done": an aborted body is an error, never a shorter body.
      if (signal.aborted) throw abortedError();
      if (done) break;
      const buffer = toBuffer(value);
      size += buffer.length;
      if (size > limit) {
        await cancel();
        return TOO_LARGE;
      }
      chunks.push(buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * The body as text (or the object a custom adapter already parsed), or {@link TOO_LARGE} when it
 * declares or has more than `limit` bytes. Rejects when `signal` aborts while reading.
 */
export async function readLimited(
  data: unknown,
  limit: number,
  signal: AbortSignal,
  declaredLength?: number,
): Promise<unknown> {
  if (declaredLength !== undefined && declaredLength > limit) {
    discardBody(data);
    return TOO_LARGE;
  }
  if (signal.aborted) {
    discardBody(data);
    throw abortedError();
  }
  if (isNodeReadable(data)) return readNode(data, limit, signal);
  if (isWebStream(data)) return readWeb(data, limit, signal);
  if (typeof data === 'string') return Buffer.byteLength(data, 'utf8') > limit ? TOO_LARGE : data;
  if (data instanceof Uint8Array) return data.byteLength > limit ? TOO_LARGE : toBuffer(data).toString('utf8');
  if (data instanceof ArrayBuffer) return data.byteLength > limit ? TOO_LARGE : Buffer.from(data).toString('utf8');
  return data;
}

/** Drops a body that will not be read (a redirect's), closing its stream. */
export function discardBody(data: unknown): void {
  if (isNodeReadable(data)) data.destroy();
  else if (isWebStream(data)) {
    try {
      data
        .getReader()
        .cancel()
        .catch(() => undefined);
    } catch {
      // already locked or cancelled
    }
  }
}
