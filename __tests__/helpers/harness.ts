import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { attachOAuth2, type OAuth2Handle, type OAuth2Options } from '../../src';

export const TOKEN_URL = 'https://auth.example.com/v2.01/oauth/token';
export const API_BASE = 'https://api.example.com/v2.01/client-1';
export const CLIENT_ID = 'client-1';
export const CLIENT_SECRET = 'sup3r-s3cret-api-key';

/** A reply of the mocked token endpoint: [status, body, headers?]. */
export type Reply = [number, unknown?, Record<string, string>?];

/** A token response body per RFC 6749 §5.1. */
export function tokenBody(
  accessToken: string,
  expiresIn: number | undefined = 3600,
  extra: Record<string, unknown> = {},
) {
  return {
    access_token: accessToken,
    token_type: 'bearer',
    ...(expiresIn === undefined ? {} : { expires_in: expiresIn }),
    ...extra,
  };
}

export interface Harness {
  api: AxiosInstance;
  mock: MockAdapter;
  auth: OAuth2Handle;
  /** Every token request, in order. */
  tokenRequests: AxiosRequestConfig[];
  /** Every API request that reached the server, in order. */
  apiRequests: AxiosRequestConfig[];
  /** Replies to hand out, one per token call; when empty, a fresh `tok-N` token is issued. */
  tokenReplies: Reply[];
  /** Access tokens the API accepts; default: any `tok-*`. Set to a Set to control rejection. */
  validTokens?: Set<string>;
}

export interface HarnessOptions {
  options?: Partial<OAuth2Options>;
  /** `expires_in` of issued tokens. */
  lifetimeSeconds?: number;
  baseURL?: string;
}

/** An axios instance on a mock adapter, a mocked token endpoint and API, and the plugin attached. */
export function createHarness(setup: HarnessOptions = {}): Harness {
  const api = axios.create({ baseURL: setup.baseURL ?? API_BASE });
  const mock = new MockAdapter(api);
  let issued = 0;
  const h = { api, mock, tokenRequests: [], apiRequests: [], tokenReplies: [] } as unknown as Harness;
  const onToken = (config: AxiosRequestConfig): Reply => {
    h.tokenRequests.push(config);
    const next = h.tokenReplies.shift();
    if (next) return next;
    issued += 1;
    return [200, tokenBody(`tok-${issued}`, setup.lifetimeSeconds ?? 3600)];
  };
  mock.onAny(new RegExp(`^${TOKEN_URL.replace(/[.?]/g, '\\$&')}`)).reply((c) => onToken(c) as [number, unknown]);
  mock.onAny(/^https:\/\/api\.example\.com\//).reply((config) => {
    h.apiRequests.push(config);
    const header = String(config.headers?.Authorization ?? '');
    const token = header.replace(/^Bearer /, '');
    const ok = h.validTokens ? h.validTokens.has(token) : token.startsWith('tok-');
    if (!ok)
      return [
        401,
        {
          Message: 'The authorization credentials are not valid',
          Type: 'invalid_credentials',
          Id: 'x',
          Date: 1,
          errors: null,
        },
      ];
    return [200, { authorization: header, data: config.data ?? null }];
  });
  h.auth = attachOAuth2(api, {
    tokenUrl: TOKEN_URL,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...setup.options,
  });
  return h;
}
