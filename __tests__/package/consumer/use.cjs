// Uses the installed package through require(): the main job against the embedded server.
const axios = require('axios');
const { attachOAuth2, OAuth2Error, TokenEndpointError } = require('axios-oauth2-bearer');
const { startAuthServer } = require('axios-oauth2-bearer/testing');

(async () => {
  const server = await startAuthServer({ clientId: 'pkg', clientSecret: 'pkg-secret' });
  try {
    const api = axios.create({ baseURL: server.apiBaseUrl });
    const auth = attachOAuth2(api, { tokenUrl: server.tokenUrl, clientId: 'pkg', clientSecret: 'pkg-secret' });
    await Promise.all(Array.from({ length: 10 }, () => api.get('/users')));
    server.revokeAllTokens();
    await Promise.all(Array.from({ length: 5 }, () => api.post('/payins', { a: 1 })));
    const ok = server.counters.tokenCalls === 2 && server.counters.api401 === 5;
    const bad = axios.create({ baseURL: server.apiBaseUrl });
    attachOAuth2(bad, { tokenUrl: server.tokenUrl, clientId: 'pkg', clientSecret: 'wrong' });
    const error = await bad.get('/users').catch((e) => e);
    const typed =
      error instanceof TokenEndpointError && error instanceof OAuth2Error && error.error === 'invalid_client';
    auth.detach();
    process.stdout.write(
      JSON.stringify({ ok: ok && typed, tokenCalls: server.counters.tokenCalls, axios: axios.VERSION }) + '\n',
    );
  } finally {
    await server.close();
  }
})().catch((e) => {
  process.stderr.write(String(e && e.stack) + '\n');
  process.exitCode = 1;
});
