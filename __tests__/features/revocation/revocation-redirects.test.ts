/**
 * The revocation request carries the client's credentials and the token: like a token request, it
 * never follows a redirect, with the http and fetch adapters of every tested axios version (axios
 * 1.7–1.19's fetch adapter ignores `maxRedirects`). A 3xx is a failed revocation, reported.
 */
import { attachOAuth2, type RevocationFailedEvent } from '../../../src';
import { ADAPTERS, AXIOS_VERSIONS } from '../../helpers/axios-versions';
import { json, startRawServer, type RawServer } from '../../helpers/raw-server';
import { revokeOnClose } from '../../../src/features/revocation';

const SECRET = 'revocation-redirect-secret-7';

describe.each(AXIOS_VERSIONS)('axios %s: a revocation endpoint answering 307', (_version, axiosCopy) => {
  let auth: RawServer;
  let foreign: RawServer;
  beforeEach(async () => {
    foreign = await startRawServer((_req, res) => json(res, 200, {}));
    auth = await startRawServer((req, res) => {
      if (req.url === '/token') return json(res, 200, { access_token: 'tok-1', token_type: 'bearer', expires_in: 600 });
      res.writeHead(307, { Location: `${foreign.url}/stolen` });
      res.end();
    });
  });
  afterEach(async () => {
    await auth.close();
    await foreign.close();
  });

  test.each(ADAPTERS)('%s adapter: not followed; onRevocationFailed reports the 307', async (adapter) => {
    const failures: RevocationFailedEvent[] = [];
    const client = axiosCopy.create({ adapter });
    const handle = attachOAuth2(axiosCopy.create({ baseURL: auth.url }), {
      tokenUrl: `${auth.url}/token`,
      extensions: [revokeOnClose({ url: `${auth.url}/revoke` })],
      clientId: 'client-1',
      clientSecret: SECRET,
      clientAuthentication: 'client_secret_post',
      tokenHttpClient: client,
      hooks: { onRevocationFailed: (event) => void failures.push(event) },
    });
    await handle.getAccessToken();

    await handle.close();

    expect(foreign.requests).toEqual([]);
    expect(auth.requests.map((r) => r.url)).toEqual(['/token', '/revoke']);
    expect(failures).toEqual([expect.objectContaining({ status: 307 })]);
  });
});
