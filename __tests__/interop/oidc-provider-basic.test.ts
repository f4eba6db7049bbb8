import axios from 'axios';
import { attachOAuth2 } from '../../src';
import { startProvider, type RunningProvider } from '../helpers/oidc/start-provider';
import { startIntrospectingResourceServer, type ResourceServer } from '../helpers/oidc/resource-server';

/**
 * The plugin against a certified authorization server (oidc-provider) with shared-secret client
 * authentication: one token for a cold burst, the provider's own token accepted by its introspection.
 */
describe('oidc-provider: client credentials with a client secret', () => {
  let provider: RunningProvider;
  let api: ResourceServer;
  beforeAll(async () => {
    provider = await startProvider({
      clients: [
        {
          client_id: 'basic-client',
          client_secret: 'basic-client-secret-0123456789abcdef',
          token_endpoint_auth_method: 'client_secret_basic',
          scope: 'read',
        },
        {
          client_id: 'post-client',
          client_secret: 'post-client-secret-0123456789abcdef',
          token_endpoint_auth_method: 'client_secret_post',
          scope: 'read',
        },
      ],
    });
    api = await startIntrospectingResourceServer({
      url: `${provider.issuer}/token/introspection`,
      clientId: 'basic-client',
      clientSecret: 'basic-client-secret-0123456789abcdef',
    });
  });
  afterAll(async () => {
    await api.close();
    await provider.stop();
  });
  beforeEach(async () => {
    await provider.reset();
    api.seen.length = 0;
  });

  it.each([
    ['client_secret_basic', 'basic-client', 'basic-client-secret-0123456789abcdef'],
    ['client_secret_post', 'post-client', 'post-client-secret-0123456789abcdef'],
  ] as const)(
    '%s: a cold burst of 50 requests costs 1 token request, and the token is active',
    async (method, id, secret) => {
      const client = axios.create({ baseURL: api.url });
      const auth = attachOAuth2(client, {
        tokenUrl: provider.tokenUrl,
        clientId: id,
        clientSecret: secret,
        clientAuthentication: method,
        scope: 'read',
      });
      const answers = await Promise.all(Array.from({ length: 50 }, () => client.get('/resource')));
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
      expect(await provider.tokenRequests()).toEqual([
        { status: 200, dpop: false, basic: method === 'client_secret_basic' },
      ]);
      const token = await auth.getAccessToken();
      expect(api.seen).toHaveLength(50);
      expect(api.seen.every((s) => s.accepted && s.token === token)).toBe(true);
      auth.detach();
    },
  );
});
