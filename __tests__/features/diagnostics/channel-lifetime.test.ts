/**
 * A subscriber added after an attachment went away still gets the next attachment's messages.
 *
 * Node's channel registry holds channels weakly, and on Node 20 a collected channel's finalizer
 * deletes its name even when a new channel of that name was made meanwhile: a subscriber added in
 * between listens on an orphan. The plugin's channel objects used to live with their attachment
 * (made on its first event, collected after `detach()`), which was enough to lose every message of
 * the next attachment. They are now held for the life of the process. Run in a fresh process with
 * `--expose-gc`, so the collections happen where the scenario needs them.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');

const SCRIPT = `
const dc = require('node:diagnostics_channel');
const axios = require('axios');
const { attachOAuth2 } = require('./src');
const { diagnosticsChannels } = require('./src/features/diagnostics');
const { startAuthServer } = require('./src/testing');
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
async function oneAttachment(server) {
  const api = axios.create({ baseURL: server.apiBaseUrl });
  const auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    extensions: [diagnosticsChannels()],
  });
  await api.get('/users');
  auth.detach();
}
(async () => {
  // The first attachment and its server go away (a keep-alive socket would hold the attachment).
  const first = await startAuthServer();
  await oneAttachment(first);
  await first.close();
  await settle();
  global.gc();
  const received = [];
  dc.subscribe('axios-oauth2-bearer:token-acquired', (message) => received.push(message.cacheKey));
  for (let i = 0; i < 5; i++) {
    await settle();
    global.gc();
  }
  const server = await startAuthServer();
  await oneAttachment(server);
  await server.close();
  process.stdout.write(JSON.stringify({ received: received.length }));
})();
`;

test('a subscriber added after an attachment was detached and collected receives the next attachment’s messages', () => {
  const out = execFileSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', '-e', SCRIPT], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(JSON.parse(out)).toEqual({ received: 1 });
}, 60_000);
