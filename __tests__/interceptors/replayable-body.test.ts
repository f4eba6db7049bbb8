/**
 * Which request bodies the plugin may send twice (a replay after a rejected token): each kind of
 * one-shot body is told apart by the one property that makes it one-shot.
 */
import { Readable } from 'node:stream';
import { isReplayableBody } from '../../src/interceptors/replayable';

describe('isReplayableBody', () => {
  test.each<[string, unknown]>([
    ['no body', undefined],
    ['null', null],
    ['a string (JSON, form-encoded)', '{"Amount":5}'],
    ['a Buffer', Buffer.from('bytes')],
    ['a Uint8Array', new Uint8Array([1, 2, 3])],
    ['an ArrayBuffer', new ArrayBuffer(4)],
    ['URLSearchParams', new URLSearchParams('a=1')],
    ['a Blob', new Blob(['bytes'])],
    ['a plain object', { Amount: 5 }],
  ])('%s can be sent again', (_label, body) => {
    expect(isReplayableBody(body)).toBe(true);
  });

  test('a stream with only pipe() (form-data, old-style Node streams) cannot', () => {
    expect(isReplayableBody({ pipe: () => undefined })).toBe(false);
  });

  test('a web stream with only getReader() (a ReadableStream without async iteration, e.g. a polyfill) cannot', () => {
    expect(isReplayableBody({ getReader: () => undefined })).toBe(false);
  });

  test('an async iterable with neither (an async generator) cannot', () => {
    async function* chunks() {
      yield 'a';
    }
    expect(isReplayableBody(chunks())).toBe(false);
  });

  test('a Node Readable and a web ReadableStream cannot', () => {
    expect(isReplayableBody(Readable.from(['a']))).toBe(false);
    expect(isReplayableBody(new ReadableStream())).toBe(false);
  });

  test('a non-function pipe, getReader or async iterator does not make a body one-shot', () => {
    expect(isReplayableBody({ pipe: 'x', getReader: 1, [Symbol.asyncIterator]: null })).toBe(true);
  });
});
