const axios = require('axios');
const { attachOAuth2 } = require('axios-oauth2-bearer');
const { startAuthServer } = require('axios-oauth2-bearer/testing');

async function main() {
  const server = await startAuthServer(); // a local token endpoint and API, on a free port
  const api = axios.create({ baseURL: server.apiBaseUrl });
  const auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
  });

  const replies = await Promise.all([api.get('/users/1'), api.get('/users/2'), api.get('/users/3')]);
  console.log('statuses:', replies.map((reply) => reply.status).join(' '));
  console.log('token calls:', server.counters.tokenCalls);

  await auth.close();
  await server.close();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
// Prints:
// statuses: 200 200 200
// token calls: 1
