import axios from 'axios';
import { attachOAuth2, InvalidTokenResponseError, OAuth2OptionsError } from '../../src';
import { parseTokenResponse } from '../../src/token/token-response';
import { CLIENT_ID, CLIENT_SECRET, TOKEN_URL, createCore } from '../helpers/harness';

const descriptive = () => ({ token_type: 'access_token' });

describe('acceptTokenTypes: servers answering a non-standard token_type', () => {
  test('by default a non-standard token_type is refused, naming the field and the option', async () => {
    const core = createCore({ tokenExtra: descriptive });
    const error = await core.api.get('/me').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect((error as InvalidTokenResponseError).message).toContain('"token_type"');
    expect((error as InvalidTokenResponseError).message).toContain('acceptTokenTypes');
    expect(JSON.stringify(error)).not.toContain('tok-1');
    expect(core.apiCalls).toHaveLength(0);
  });

  test("accepted when listed (any case); the API still gets 'Authorization: Bearer …'", async () => {
    const core = createCore({ tokenExtra: descriptive, options: { acceptTokenTypes: ['Bearer', 'ACCESS_TOKEN'] } });
    expect((await core.api.get('/me')).data.authorization).toBe('Bearer tok-1');
    expect(core.tokenCalls).toHaveLength(1);
  });

  test('listing another type does not keep accepting bearer unless listed', async () => {
    const core = createCore({ options: { acceptTokenTypes: ['access_token'] } });
    await expect(core.api.get('/me')).rejects.toBeInstanceOf(InvalidTokenResponseError);
  });

  test('parseTokenResponse takes the accepted set (lower-cased)', () => {
    const body = JSON.stringify({ access_token: 'a', token_type: 'Access_Token', expires_in: 60 });
    expect(() => parseTokenResponse(200, body, {}, 0)).toThrow(InvalidTokenResponseError);
    const parsed = parseTokenResponse(200, body, {}, 0, new Set(['bearer', 'access_token']));
    expect(parsed).toMatchObject({ token: { accessToken: 'a', expiresAt: 60_000 } });
  });

  test.each<[string, unknown]>([
    ['acceptTokenTypes', 'Bearer'],
    ['acceptTokenTypes', []],
    ['acceptTokenTypes[1]', ['Bearer', '']],
    ['acceptTokenTypes[0]', [7]],
  ])('bad value → OAuth2OptionsError naming %s', (option, value) => {
    let error: unknown;
    try {
      attachOAuth2(axios.create(), {
        tokenUrl: TOKEN_URL,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        acceptTokenTypes: value as string[],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OAuth2OptionsError);
    expect((error as OAuth2OptionsError).option).toBe(option);
  });
});
