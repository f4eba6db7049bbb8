import { basicAuthorization } from '../../src/token/token-request';
import { formEncode } from '../../src/util/form-encode';
import { createCore, headerOf } from '../helpers/harness';

const RFC_ID = '1PpG/Q 1';
const RFC_SECRET = 'z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw=';
const RFC_HEADER =
  'Basic MVBwRyUyRlErMTp6JTJGdFo5VndGWnFBcG1JUSUyQlpIMUk1cExrJTJGdUI0dWQlM0FYMiUyRjhiTCUyQndmRlR0MXJGdyUzRA==';
const SEED_ID = 'Aladdin';
const SEED_SECRET = 'ghsiu6hjqQjj';
const SEED_HEADER = 'Basic QWxhZGRpbjpnaHNpdTZoanFRamo=';

const decode = (header: string) => Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');

describe('basicAuthorization', () => {
  test('RFC 6749 §2.3.1 vector (strict encoding)', () => {
    expect(basicAuthorization(RFC_ID, RFC_SECRET, 'rfc6749')).toBe(RFC_HEADER);
    expect(decode(RFC_HEADER)).toBe('1PpG%2FQ+1:z%2FtZ9VwFZqApmIQ%2BZH1I5pLk%2FuB4ud%3AX2%2F8bL%2BwfFTt1rFw%3D');
  });

  test('seed 000 vector (alphanumeric: strict equals naive)', () => {
    expect(basicAuthorization(SEED_ID, SEED_SECRET, 'rfc6749')).toBe(SEED_HEADER);
    expect(basicAuthorization(SEED_ID, SEED_SECRET, 'raw')).toBe(SEED_HEADER);
  });

  test("'raw' base64-encodes id:secret as is", () => {
    const raw = basicAuthorization(RFC_ID, RFC_SECRET, 'raw');
    expect(raw).toBe(`Basic ${Buffer.from(`${RFC_ID}:${RFC_SECRET}`, 'utf8').toString('base64')}`);
    expect(decode(raw)).toBe('1PpG/Q 1:z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw=');
    expect(raw).not.toBe(RFC_HEADER);
  });

  test('non-ASCII credentials are UTF-8 encoded', () => {
    expect(decode(basicAuthorization('clïent', 'sécret', 'rfc6749'))).toBe('cl%C3%AFent:s%C3%A9cret');
    expect(decode(basicAuthorization('clïent', 'sécret', 'raw'))).toBe('clïent:sécret');
  });
});

describe('formEncode (application/x-www-form-urlencoded)', () => {
  test.each([
    ['abcXYZ019', 'abcXYZ019'],
    ['a b', 'a+b'],
    ['a+b', 'a%2Bb'],
    ['/:=&?#%', '%2F%3A%3D%26%3F%23%25'],
    ['*-._', '*-._'],
    ['~', '%7E'],
    ['é', '%C3%A9'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(formEncode(input)).toBe(expected);
  });
});

describe('the Authorization header of a real token request', () => {
  test('RFC 6749 vector by default (strict encoding)', async () => {
    const core = createCore({ options: { clientId: RFC_ID, clientSecret: RFC_SECRET } });
    await core.auth.getAccessToken();
    expect(core.tokenCalls).toHaveLength(1);
    expect(headerOf(core.tokenCalls[0], 'Authorization')).toBe(RFC_HEADER);
  });

  test('seed 000 vector', async () => {
    const core = createCore({ options: { clientId: SEED_ID, clientSecret: SEED_SECRET } });
    await core.auth.getAccessToken();
    expect(headerOf(core.tokenCalls[0], 'Authorization')).toBe(SEED_HEADER);
  });

  test("basicEncoding: 'raw'", async () => {
    const core = createCore({ options: { clientId: RFC_ID, clientSecret: RFC_SECRET, basicEncoding: 'raw' } });
    await core.auth.getAccessToken();
    expect(headerOf(core.tokenCalls[0], 'Authorization')).toBe(
      `Basic ${Buffer.from(`${RFC_ID}:${RFC_SECRET}`).toString('base64')}`,
    );
  });

  test("basicEncoding: 'rfc6749' explicitly", async () => {
    const core = createCore({ options: { clientId: RFC_ID, clientSecret: RFC_SECRET, basicEncoding: 'rfc6749' } });
    await core.auth.getAccessToken();
    expect(headerOf(core.tokenCalls[0], 'Authorization')).toBe(RFC_HEADER);
  });

  test('the Basic credentials never reach the API', async () => {
    const core = createCore({ options: { clientId: SEED_ID, clientSecret: SEED_SECRET } });
    const response = await core.api.get('/users');
    expect(response.data.authorization).toBe('Bearer tok-1');
  });
});
