// The CommonJS and ESM builds of the installed package loaded side by side in one process (the dual
// package hazard): an error raised by one build matches the other build's classes with instanceof.
import { createRequire } from 'node:module';
import axios from 'axios';
import * as esm from 'axios-oauth2-bearer';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

const cjs = createRequire(import.meta.url)('axios-oauth2-bearer');
const server = await startAuthServer({ clientId: 'dual', clientSecret: 'dual-secret' });
try {
  const distinct = cjs.OAuth2Error !== esm.OAuth2Error;
  // A token endpoint refusal raised by the CommonJS build…
  const api = axios.create({ baseURL: server.apiBaseUrl });
  cjs.attachOAuth2(api, { tokenUrl: server.tokenUrl, clientId: 'dual', clientSecret: 'wrong' });
  const fromCjs = await api.get('/users').catch((e) => e);
  // …and options refused by the ESM build.
  let fromEsm;
  try {
    esm.attachOAuth2(axios.create(), { tokenUrl: 'not a url', clientId: 'dual', clientSecret: 'x' });
  } catch (e) {
    fromEsm = e;
  }
  process.stdout.write(
    JSON.stringify({
      distinct,
      cjsErrorIsEsmTokenEndpointError: fromCjs instanceof esm.TokenEndpointError,
      cjsErrorIsEsmOAuth2Error: fromCjs instanceof esm.OAuth2Error,
      cjsErrorIsNotEsmLocked: !(fromCjs instanceof esm.AccountLockedError),
      esmErrorIsCjsOptionsError: fromEsm instanceof cjs.OAuth2OptionsError,
      esmErrorIsCjsOAuth2Error: fromEsm instanceof cjs.OAuth2Error,
      esmErrorIsTypeError: fromEsm instanceof TypeError,
    }) + '\n',
  );
} finally {
  await server.close();
}
