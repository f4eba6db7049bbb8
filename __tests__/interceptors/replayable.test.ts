/** `isReplayableBody` (src/interceptors/replayable.ts) on the bodies axios may hold after transformRequest. */
import { Readable } from 'node:stream';
import { isReplayableBody } from '../../src/interceptors/replayable';

test('no body, a null body and primitives can be sent again', () => {
  for (const body of [undefined, null, 'a=b', 42, true]) expect(isReplayableBody(body)).toBe(true);
});

test('buffers, URLSearchParams and FormData can be sent again', () => {
  for (const body of [Buffer.from('x'), new Uint8Array([1]), new URLSearchParams('a=b'), new FormData()])
    expect(isReplayableBody(body)).toBe(true);
});

test('a Node stream, a web stream and an async iterable are consumed by the first attempt', () => {
  const iterable = { async *[Symbol.asyncIterator]() {} };
  for (const body of [Readable.from(['x']), new ReadableStream(), iterable]) expect(isReplayableBody(body)).toBe(false);
});
