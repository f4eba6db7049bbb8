/**
 * The size cap on an answer of the authorization server (`src/http/read-limited.ts`), as a unit on
 * every body shape an adapter gives: a Node stream, a WHATWG ReadableStream, a string, a Uint8Array
 * (a view into a larger buffer too), an ArrayBuffer, an object a custom adapter parsed. The limit is
 * inclusive (exactly `limit` bytes is read), a larger body is not read further and its stream is
 * closed, an abort rejects with ERR_CANCELED, never a shorter body.
 */
import { Readable } from 'node:stream';
import { discardBody, readLimited, TOO_LARGE } from '../../src/http/read-limited';

const live = (): AbortSignal => new AbortController().signal;

/** A Node stream of `chunks`, recording whether it was destroyed and how many chunks were pulled. */
function nodeStream(chunks: Array<string | Buffer>): Readable & { pulled: number } {
  let index = 0;
  const stream = new Readable({
    highWaterMark: 1,
    read() {
      state.pulled += 1;
      this.push(index < chunks.length ? chunks[index++] : null);
    },
  });
  const state = Object.assign(stream, { pulled: 0 });
  return state;
}

/** A WHATWG stream of `chunks`, recording cancellations and reads. */
function webStream(chunks: Uint8Array[]): { stream: ReadableStream<Uint8Array>; cancelled: number; pulled: number } {
  const record = { stream: undefined as unknown as ReadableStream<Uint8Array>, cancelled: 0, pulled: 0 };
  let index = 0;
  record.stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        record.pulled += 1;
        if (index < chunks.length) controller.enqueue(chunks[index++]);
        else controller.close();
      },
      cancel() {
        record.cancelled += 1;
      },
    },
    { highWaterMark: 0 },
  );
  return record;
}

/** A signal that is never aborted and records the listeners added and removed, with their event type. */
function listenerCounting(): AbortSignal & { added: unknown[]; removed: unknown[] } {
  const added: unknown[] = [];
  const removed: unknown[] = [];
  return {
    aborted: false,
    added,
    removed,
    addEventListener: (type: string, listener: unknown) => added.push([type, listener]),
    removeEventListener: (type: string, listener: unknown) => removed.push([type, listener]),
  } as unknown as AbortSignal & { added: unknown[]; removed: unknown[] };
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('readLimited: a Node stream', () => {
  it('reads exactly limit bytes as text, chunks of strings and buffers joined', async () => {
    const stream = nodeStream(['ab', Buffer.from('cdé', 'utf8')]); // 2 + 4 bytes
    await expect(readLimited(stream, 6, live())).resolves.toBe('abcdé');
    expect(stream.destroyed).toBe(true); // ended normally (autoDestroy)
  });

  it('stops at the first chunk over the limit and destroys the stream', async () => {
    const stream = nodeStream(['abc', 'def', 'ghi', 'jkl']);
    await expect(readLimited(stream, 5, live())).resolves.toBe(TOO_LARGE);
    expect(stream.destroyed).toBe(true);
    expect(stream.pulled).toBe(2);
  });

  it('rejects with ERR_CANCELED and destroys the stream when the signal aborts while reading', async () => {
    const stream = new Readable({ read() {} }); // never ends by itself
    const controller = new AbortController();
    stream.push('par');
    const reading = readLimited(stream, 100, controller.signal);
    await new Promise<void>((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(reading).rejects.toMatchObject({ code: 'ERR_CANCELED', message: 'the token response was aborted' });
    expect(stream.destroyed).toBe(true);
  });

  it('rejects (never a shorter body) when the signal aborted as the stream ended', async () => {
    const controller = new AbortController();
    const stream = new Readable({
      read() {
        this.push('whole');
        controller.abort();
        this.push(null);
      },
    });
    // The abort destroys the stream with an error, or the loop ends and the aborted signal is seen.
    await expect(readLimited(stream, 100, controller.signal)).rejects.toMatchObject({ code: 'ERR_CANCELED' });
  });

  it("rejects when the signal aborted as the stream ended, even if the stream's destroy does nothing", async () => {
    // A duck-typed stream of some adapter: its iteration ends normally after the abort.
    const controller = new AbortController();
    const stream = {
      destroy: jest.fn(),
      async *[Symbol.asyncIterator]() {
        yield 'whole';
        controller.abort();
      },
    };
    await expect(readLimited(stream, 100, controller.signal)).rejects.toMatchObject({ code: 'ERR_CANCELED' });
    expect(stream.destroy).toHaveBeenCalledTimes(1);
  });

  it('removes the abort listener it added, once read', async () => {
    const signal = listenerCounting();
    await expect(readLimited(nodeStream(['abc']), 100, signal)).resolves.toBe('abc');
    expect(signal.added).toEqual(signal.removed);
    expect(signal.added).toHaveLength(1);
  });

  it('leaves no abort listener on the signal once read', async () => {
    const controller = new AbortController();
    const stream = nodeStream(['abc']);
    await readLimited(stream, 100, controller.signal);
    const destroy = jest.spyOn(stream, 'destroy');
    controller.abort();
    expect(destroy).not.toHaveBeenCalled();
  });
});

describe('readLimited: a WHATWG ReadableStream', () => {
  it('removes the abort listener it added, once read', async () => {
    const signal = listenerCounting();
    await expect(readLimited(webStream([bytes('abc')]).stream, 100, signal)).resolves.toBe('abc');
    expect(signal.added).toEqual(signal.removed);
    expect(signal.added).toHaveLength(1);
  });

  it('is too large even when cancelling the stream fails', async () => {
    let index = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull: (controller) => controller.enqueue(bytes(['abc', 'def'][index++] ?? '')),
        cancel: () => Promise.reject(new Error('cancel failed')),
      },
      { highWaterMark: 0 },
    );
    await expect(readLimited(stream, 5, live())).resolves.toBe(TOO_LARGE);
  });

  it('reads exactly limit bytes as text', async () => {
    const web = webStream([bytes('ab'), bytes('cdé')]);
    await expect(readLimited(web.stream, 6, live())).resolves.toBe('abcdé');
    expect(web.cancelled).toBe(0);
  });

  it('stops at the first chunk over the limit and cancels the stream', async () => {
    const web = webStream([bytes('abc'), bytes('def'), bytes('ghi'), bytes('jkl')]);
    await expect(readLimited(web.stream, 5, live())).resolves.toBe(TOO_LARGE);
    expect(web.cancelled).toBe(1);
    expect(web.pulled).toBe(2);
  });

  it('rejects with ERR_CANCELED and cancels the stream when the signal aborts while reading', async () => {
    let started!: () => void;
    const pulling = new Promise<void>((resolve) => (started = resolve));
    let cancelled = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull: () => {
          started();
          return new Promise<void>(() => undefined); // never delivers
        },
        cancel: () => {
          cancelled += 1;
        },
      },
      { highWaterMark: 0 },
    );
    const controller = new AbortController();
    const reading = readLimited(stream, 100, controller.signal);
    await pulling;
    controller.abort();
    await expect(reading).rejects.toMatchObject({ code: 'ERR_CANCELED' });
    expect(cancelled).toBe(1);
  });

  it('leaves no abort listener on the signal once read', async () => {
    const controller = new AbortController();
    const web = webStream([bytes('abc')]);
    await expect(readLimited(web.stream, 100, controller.signal)).resolves.toBe('abc');
    controller.abort();
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(web.cancelled).toBe(0);
  });
});

describe('readLimited: a body already read', () => {
  it('a string: exactly limit bytes (UTF-8) is kept, one more is too large', async () => {
    await expect(readLimited('abcdé', 6, live())).resolves.toBe('abcdé');
    await expect(readLimited('abcdé', 5, live())).resolves.toBe(TOO_LARGE);
  });

  it('a Uint8Array, a view into a larger buffer included: only its own bytes', async () => {
    const whole = bytes('xxabcdéyy');
    const view = whole.subarray(2, 8); // "abcdé": 6 bytes
    await expect(readLimited(view, 6, live())).resolves.toBe('abcdé');
    await expect(readLimited(view, 5, live())).resolves.toBe(TOO_LARGE);
  });

  it('an ArrayBuffer: exactly limit bytes is kept, one more is too large', async () => {
    const buffer = bytes('abcdé').buffer;
    await expect(readLimited(buffer, 6, live())).resolves.toBe('abcdé');
    await expect(readLimited(buffer, 5, live())).resolves.toBe(TOO_LARGE);
  });

  it('an object with a destroy method but not async-iterable is no stream: returned as it is', async () => {
    const parsed = { destroy: jest.fn() };
    await expect(readLimited(parsed, 1, live())).resolves.toBe(parsed);
    expect(parsed.destroy).not.toHaveBeenCalled();
  });

  it('an object a custom adapter parsed is returned as it is', async () => {
    const parsed = { access_token: 'a' };
    await expect(readLimited(parsed, 1, live())).resolves.toBe(parsed);
    await expect(readLimited(undefined, 1, live())).resolves.toBeUndefined();
  });
});

describe('readLimited: before reading', () => {
  it('a declared length over the limit is too large without reading; the stream is closed', async () => {
    const stream = nodeStream(['abc']);
    await expect(readLimited(stream, 5, live(), 6)).resolves.toBe(TOO_LARGE);
    expect(stream.destroyed).toBe(true);
    expect(stream.pulled).toBe(0);
  });

  it('a declared length equal to the limit is read', async () => {
    await expect(readLimited(nodeStream(['abcde']), 5, live(), 5)).resolves.toBe('abcde');
  });

  it('an aborted signal rejects without reading and closes the stream', async () => {
    const controller = new AbortController();
    controller.abort();
    const stream = nodeStream(['abc']);
    await expect(readLimited(stream, 100, controller.signal)).rejects.toMatchObject({ code: 'ERR_CANCELED' });
    expect(stream.destroyed).toBe(true);
    expect(stream.pulled).toBe(0);
  });
});

describe('discardBody', () => {
  it('destroys a Node stream', () => {
    const stream = nodeStream(['abc']);
    discardBody(stream);
    expect(stream.destroyed).toBe(true);
  });

  it('cancels a WHATWG stream', async () => {
    const web = webStream([bytes('abc')]);
    discardBody(web.stream);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(web.cancelled).toBe(1);
  });

  it('a WHATWG stream whose cancel fails: no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const stream = new ReadableStream({ cancel: () => Promise.reject(new Error('cancel failed')) });
      discardBody(stream);
      await new Promise<void>((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('leaves a locked WHATWG stream, and anything else, alone without throwing', () => {
    const web = webStream([bytes('abc')]);
    web.stream.getReader();
    expect(() => discardBody(web.stream)).not.toThrow();
    expect(() => discardBody('text')).not.toThrow();
    expect(() => discardBody(null)).not.toThrow();
  });
});
