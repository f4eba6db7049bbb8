// The `axios-oauth2-bearer/client-auth` subpath through require(): the main entry alone loads none of
// it; a privateKeyJwt client gets one token for a burst from the embedded server, which verifies the
// assertion; a factory's error is the main entry's OAuth2OptionsError.
const axios = require('axios');
const { generateKeyPairSync } = require('node:crypto');
const { attachOAuth2, OAuth2OptionsError } = require('axios-oauth2-bearer');
const { startAuthServer } = require('axios-oauth2-bearer/testing');

const loaded = () => Object.keys(require.cache).filter((k) => /[\\/]dist[\\/]client-auth[\\/]/.test(k)).length;

(async () => {
  const mainLoadsNone = loaded() === 0;
  const { privateKeyJwt } = require('axios-oauth2-bearer/client-auth');
  const subpathLoads = loaded() > 0;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = await startAuthServer({ clientId: 'pkg', clientAssertion: { publicKey } });
  try {
    const api = axios.create({ baseURL: server.apiBaseUrl });
    const auth = attachOAuth2(api, {
      tokenUrl: server.tokenUrl,
      clientId: 'pkg',
      clientAuthentication: privateKeyJwt(privateKey, { kid: 'k1' }),
    });
    await Promise.all(Array.from({ length: 10 }, () => api.get('/users')));
    auth.detach();
    let typed = false;
    try {
      privateKeyJwt('not a key');
    } catch (error) {
      typed = error instanceof OAuth2OptionsError && error.option === 'privateKeyJwt.privateKey';
    }
    process.stdout.write(
      JSON.stringify({ mainLoadsNone, subpathLoads, tokenCalls: server.counters.tokenCalls, typed }) + '\n',
    );
  } finally {
    await server.close();
  }
})().catch((e) => {
  process.stderr.write(String(e && e.stack) + '\n');
  process.exitCode = 1;
});
