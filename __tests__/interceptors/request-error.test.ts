/** `forRequest` (src/interceptors/request-error.ts): a per-request copy of a plugin error, and nothing else touched. */
import { CanceledError } from 'axios';
import { DetachedError } from '../../src';
import { forRequest } from '../../src/interceptors/request-error';

test('an error that is not the plugin’s (a cancellation) comes back as the very same object', () => {
  const canceled = new CanceledError('stop');
  const config = { url: '/x' };
  expect(forRequest(canceled, config)).toBe(canceled);
  expect(Object.getOwnPropertyNames(canceled)).not.toContain('config');
});

test('a plugin error comes back as a copy carrying this request’s config, the original untouched', () => {
  const error = new DetachedError();
  const config = { url: '/x' };
  const copy = forRequest(error, config) as DetachedError & { config: unknown; isAxiosError: boolean };
  expect(copy).not.toBe(error);
  expect(copy).toBeInstanceOf(DetachedError);
  expect(copy.config).toBe(config);
  expect(copy.isAxiosError).toBe(true);
  expect(Object.getOwnPropertyNames(error)).not.toContain('config');
});
