/** `releaseBody` (src/interceptors/release-body.ts): only a stream body is destroyed; nothing else is touched. */
import { Readable } from 'node:stream';
import { releaseBody } from '../../src/interceptors/release-body';

test('a stream body is destroyed', () => {
  const stream = Readable.from(['never read']);
  releaseBody({ data: stream });
  expect(stream.destroyed).toBe(true);
});

test('an object with destroy() but no pipe() (a parsed JSON body, say) is not a stream: left alone', () => {
  const destroy = jest.fn();
  releaseBody({ data: { destroy } });
  expect(destroy).not.toHaveBeenCalled();
});

test('an object with pipe() but no destroy() is left alone, without throwing', () => {
  const pipe = jest.fn();
  expect(() => releaseBody({ data: { pipe } })).not.toThrow();
  expect(pipe).not.toHaveBeenCalled();
});

test('no response, no body, a null body or a string body: nothing to do, nothing thrown', () => {
  for (const response of [undefined, {}, { data: null }, { data: 'text' }]) {
    expect(() => releaseBody(response)).not.toThrow();
  }
});
