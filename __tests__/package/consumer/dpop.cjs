// The dpop subpath through require(): not loaded by the main entry; DPoP tokens against the embedded server.
const axios = require('axios');
const { attachOAuth2, OAuth2OptionsError } = require('axios-oauth2-bearer');
const { startAuthServer } = require('axios-oauth2-bearer/testing');

const dpopLoaded = () => Object.keys(require.cache).some((f) => f.includes(`dist${require('path').sep}dpop`));

(async () => {
  const before = dpopLoaded();
  const { dpop } = require('axios-oauth2-bearer/dpop');
  const server = await startAuthServer({
    clientId: 'pkg',
    clientSecret: 'pkg-secret',
    dpop: { requireNonceAtApi: true },
  });
  try {
    const api = axios.create({ baseURL: server.apiBaseUrl });
    const auth = attachOAuth2(api, {
      tokenUrl: server.tokenUrl,
      clientId: 'pkg',
      clientSecret: 'pkg-secret',
      senderConstraint: dpop(),
    });
    await Promise.all(Array.from({ length: 5 }, () => api.get('/users')));
    const { tokenType } = await auth.getToken();
    const badKey = (() => {
      try {
        dpop({ privateKey: 'not a key' });
      } catch (e) {
        return e instanceof OAuth2OptionsError && e.option === 'dpop.privateKey';
      }
      return false;
    })();
    auth.detach();
    process.stdout.write(
      JSON.stringify({ before, after: dpopLoaded(), tokenType, tokenCalls: server.counters.tokenCalls, badKey }) + '\n',
    );
  } finally {
    await server.close();
  }
})().catch((e) => {
  process.stderr.write(String(e && e.stack) + '\n');
  process.exitCode = 1;
});
