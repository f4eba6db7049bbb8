/**
 * Compiled by __tests__/types/types.test.ts (and by `npm run typecheck`): `attachOAuth2` accepts the
 * default export and instances of other axios copies, and the per-request `oauth2` key is typed.
 * Nothing here runs.
 */
import axios from 'axios';
import axios17 from 'axios-1.7';
import sdkAxios from 'mangopay4-nodejs-sdk/node_modules/axios';
import { attachOAuth2, type OAuth2RequestOptions } from '../../src';

// Another copy of axios under its own module name: one augmentation types the `oauth2` key there too.
declare module 'axios-1.7' {
  interface AxiosRequestConfig {
    oauth2?: OAuth2RequestOptions;
  }
}

const options = { tokenUrl: 'https://auth.example/token', clientId: 'id', clientSecret: 'secret' };

export function typeChecks(): void {
  attachOAuth2(axios, options);
  attachOAuth2(axios.create(), options);
  attachOAuth2(axios17, options);
  attachOAuth2(axios17.create(), options);
  attachOAuth2(sdkAxios, options);
  attachOAuth2(axios17.create(), { ...options, tokenHttpClient: axios17.create() });

  void axios.get('/x', { oauth2: { skip: true } });
  void axios17.get('/x', { oauth2: { skip: true } });
  void axios17.create().request({ url: '/x', oauth2: { skip: false } });

  // @ts-expect-error -- skip is a boolean (the key is typed, not any)
  void axios.get('/x', { oauth2: { skip: 'yes' } });
  // @ts-expect-error -- same on the other copy
  void axios17.get('/x', { oauth2: { skip: 'yes' } });
  // Several tokens: per-request scope and resource, origin defaults, the handle's selector.
  void axios.get('/x', { oauth2: { scope: 'read write', resource: 'https://api.example' } });
  // @ts-expect-error -- a typo is a type error too (and rejected at run time)
  void axios.get('/x', { oauth2: { resorce: 'https://api.example' } });
  const handle = attachOAuth2(axios.create(), {
    ...options,
    resource: 'https://api.example',
    maxCachedTokens: 8,
    apiOrigins: ['https://a.example', { origin: 'https://b.example', scope: 'b', resource: 'https://b.example' }],
  });
  void handle.getToken({ scope: 'a', resource: 'https://api.example', forceRefresh: true }).then((info) => {
    const expiresAt: number | undefined = info.expiresAt;
    void expiresAt;
  });
  void handle.getAccessToken({ resource: 'https://api.example' });
  void handle.invalidate({ scope: 'a' });
  // @ts-expect-error -- not an axios object
  attachOAuth2({ request: () => Promise.resolve() }, options);
}
