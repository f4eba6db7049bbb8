/**
 * The cost of one token request with a client assertion vs with Basic credentials, against the
 * embedded test server over loopback (which verifies every assertion), in interleaved rounds.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { attachOAuth2, type OAuth2Options } from '../src';
import { startAuthServer, startTokenFile } from '../src/testing';
import { clientAssertionFile, clientSecretJwt, privateKeyJwt } from '../src/features/client-auth';
import { compare, type Comparison } from './measure';

export async function tokenRequestCost(count: number, rounds: number): Promise<Comparison> {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  // Workload identity: a projected token file (stat'ed per token request, read once: it does not change).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-workload-'));
  const tokens = startTokenFile({ path: path.join(dir, 'token'), audience: 'bench', lifetimeSeconds: 3600 });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const servers = await Promise.all([
    startAuthServer({ clientId: 'bench', clientSecret: 'bench-secret-0123456789-0123456789' }),
    startAuthServer({
      clientId: 'bench',
      clientSecret: 'bench-secret-0123456789-0123456789',
      clientAssertion: { publicKey: ec.publicKey },
    }),
    startAuthServer({
      clientId: 'bench',
      clientSecret: 'bench-secret-0123456789-0123456789',
      clientAssertion: { publicKey: rsa.publicKey },
    }),
    startAuthServer({ clientId: 'bench', clientSecret: 'bench-secret-0123456789-0123456789', clientAssertion: {} }),
    startAuthServer({
      clientId: 'bench',
      workloadIdentity: { issuer: tokens.issuer, jwks: tokens.jwks, audience: ['bench'] },
    }),
  ]);
  const variants: Array<[string, number, Partial<OAuth2Options>]> = [
    ['Basic', 0, {}],
    ['private_key_jwt ES256', 1, { clientAuthentication: privateKeyJwt(ec.privateKey), clientSecret: undefined }],
    ['private_key_jwt RS256', 2, { clientAuthentication: privateKeyJwt(rsa.privateKey), clientSecret: undefined }],
    [
      'client_secret_jwt HS256',
      3,
      { clientAuthentication: clientSecretJwt('bench-secret-0123456789-0123456789'), clientSecret: undefined },
    ],
    [
      'clientAssertionFile ES256',
      4,
      { clientAuthentication: clientAssertionFile(tokens.path), clientSecret: undefined },
    ],
  ];
  const handles = variants.map(([name, i, options]) => {
    const auth = attachOAuth2(axios.create(), {
      tokenUrl: servers[i].tokenUrl,
      clientId: 'bench',
      clientSecret: 'bench-secret-0123456789-0123456789',
      ...options,
    });
    return [name, auth] as const;
  });
  try {
    return await compare(
      Object.fromEntries(handles.map(([name, auth]) => [name, () => auth.getToken({ forceRefresh: true })])),
      { count, rounds },
    );
  } finally {
    for (const [, auth] of handles) auth.detach();
    await Promise.all(servers.map((s) => s.close()));
    tokens.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
