import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import {
  startAuthServer,
  startTokenFile,
  type AuthServer,
  type TokenFile,
  type TokenFileOptions,
  type WorkloadIdentityServerOptions,
} from '../../../../src/testing';

export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const AUDIENCE = 'orders-token-endpoint';

/** The federated issuer's key, a server that trusts it (tokens for {@link AUDIENCE}), a directory for token files. */
export interface WorkloadFixture {
  key: KeyObject;
  /** The issuer's public JWKS (what the server verifies with). */
  jwks: { keys: JsonWebKey[] };
  server: AuthServer;
  dir: string;
  file: string;
  /** A token file signed with the issuer's key (for {@link AUDIENCE} unless told). */
  tokens(options?: Partial<TokenFileOptions>): TokenFile;
  close(): Promise<void>;
}

export async function workloadFixture(
  serverOptions: Parameters<typeof startAuthServer>[0] = {},
  workload: Partial<WorkloadIdentityServerOptions> = {},
): Promise<WorkloadFixture> {
  const { privateKey: key, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'workload-key' }] };
  const server = await startAuthServer({
    clientId: 'orders',
    ...serverOptions,
    workloadIdentity: { issuer: ISSUER, jwks, audience: [AUDIENCE], ...workload },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workload-'));
  const file = path.join(dir, 'token');
  const started: TokenFile[] = [];
  return {
    key,
    jwks,
    server,
    dir,
    file,
    tokens(options = {}) {
      const tokens = startTokenFile({ path: file, audience: AUDIENCE, issuer: ISSUER, privateKey: key, ...options });
      started.push(tokens);
      return tokens;
    },
    async close() {
      for (const tokens of started) tokens.stop();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
