// Uses the installed package through import: the main job against the embedded server.
import axios from 'axios';
import { attachOAuth2, AccountLockedError, OAuth2Error } from 'axios-oauth2-bearer';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

const server = await startAuthServer({ clientId: 'pkg', clientSecret: 'pkg-secret', lockoutAfter: 1 });
try {
  const api = axios.create({ baseURL: server.apiBaseUrl });
  attachOAuth2(api, { tokenUrl: server.tokenUrl, clientId: 'pkg', clientSecret: 'pkg-secret' });
  await Promise.all(Array.from({ length: 10 }, () => api.get('/users')));
  const ok = server.counters.tokenCalls === 1;
  const bad = axios.create({ baseURL: server.apiBaseUrl });
  attachOAuth2(bad, { tokenUrl: server.tokenUrl, clientId: 'pkg', clientSecret: 'wrong', failureCacheMs: 0 });
  await bad.get('/users').catch(() => undefined);
  const locked = await bad.get('/users').catch((e) => e);
  const typed = locked instanceof AccountLockedError && locked instanceof OAuth2Error && locked.retryAfterMs > 0;
  process.stdout.write(
    JSON.stringify({ ok: ok && typed, tokenCalls: server.counters.tokenCalls, axios: axios.VERSION }) + '\n',
  );
} finally {
  await server.close();
}
