import axios, { AxiosHeaders } from 'axios';
import { hasHeader } from '../../src/util/headers';

/**
 * The request side asks on every request whether the caller set its own `Authorization` header; it
 * reads this copy's `AxiosHeaders` directly instead of calling `has('Authorization')`. The answers
 * must be axios's own, whatever the case, value or order of the keys.
 */
const cases: Array<[string, () => AxiosHeaders]> = [
  ['no header at all', () => new AxiosHeaders()],
  ['other headers only', () => new AxiosHeaders({ Accept: 'application/json', 'X-Authorization-Id': '1' })],
  ['Authorization', () => new AxiosHeaders({ Authorization: 'Basic abc' })],
  ['authorization', () => new AxiosHeaders({ authorization: 'Basic abc' })],
  ['AUTHORIZATION', () => new AxiosHeaders({ AUTHORIZATION: 'Basic abc' })],
  ['an empty value', () => new AxiosHeaders({ Authorization: '' })],
  ['false (axios: do not send)', () => new AxiosHeaders({ Authorization: false })],
  ['null', () => AxiosHeaders.from({ Authorization: null })],
  [
    'undefined written as a property',
    () => {
      const headers = new AxiosHeaders({ Accept: 'x' });
      (headers as unknown as Record<string, unknown>).Authorization = undefined;
      return headers;
    },
  ],
  [
    'two keys in different cases, the last one undefined',
    () => {
      const headers = new AxiosHeaders({ authorization: 'Basic abc' });
      (headers as unknown as Record<string, unknown>).AUTHORIZATION = undefined;
      return headers;
    },
  ],
  [
    'two keys in different cases, the last one set',
    () => {
      const headers = new AxiosHeaders();
      (headers as unknown as Record<string, unknown>).authorization = undefined;
      (headers as unknown as Record<string, unknown>).Authorization = 'Bearer t';
      return headers;
    },
  ],
  ['a number value', () => new AxiosHeaders({ Authorization: 5 })],
  [
    'as axios merges them for a request',
    () => AxiosHeaders.concat(axios.defaults.headers.common as Record<string, string>, { Authorization: 'x' }),
  ],
];

test.each(cases)('%s: the same answer as AxiosHeaders.has', (_name, make) => {
  const headers = make();
  expect(hasHeader(headers, 'authorization')).toBe(headers.has('Authorization'));
});

test('the cases cover both answers', () => {
  const answers = new Set(cases.map(([, make]) => make().has('Authorization')));
  expect(answers).toEqual(new Set([true, false]));
});
