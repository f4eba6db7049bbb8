/**
 * A resource server for the resource-indicator tests (RFC 8707): it accepts a bearer token only when
 * it is a JWT access token signed by the provider (verified with `jose` against the provider's JWKS),
 * issued by it, and meant for this server (`aud` is its resource indicator). Otherwise 401 with an
 * RFC 6750 `invalid_token` challenge. Records what it saw.
 */
import * as jose from 'jose';
import { json, startRawServer, type RawServer } from '../raw-server';

export interface SeenJwtRequest {
  token: string;
  accepted: boolean;
  /** The `aud` of the token when its signature verified, else undefined. */
  audience?: string | string[];
  /** Why it was refused (the verifier's error code), when it was. */
  reason?: string;
}

export interface JwtResourceServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The resource indicator this server stands for (the `aud` it requires). */
  audience: string;
  seen: SeenJwtRequest[];
  close(): Promise<void>;
}

export async function startJwtResourceServer(setup: {
  issuer: string;
  /** The provider's JWKS: `${issuer}/jwks`. */
  jwksUrl: string;
  audience: string;
}): Promise<JwtResourceServer> {
  const keys = jose.createRemoteJWKSet(new URL(setup.jwksUrl));
  const seen: SeenJwtRequest[] = [];
  const server: RawServer = await startRawServer((req, res) => {
    const [scheme = '', token = ''] = String(req.headers.authorization ?? '').split(' ');
    const refuse = (entry: SeenJwtRequest) => {
      seen.push(entry);
      json(res, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    };
    if (scheme !== 'Bearer' || token === '') return refuse({ token, accepted: false, reason: 'no bearer' });
    // Signature and issuer first, then the audience on its own, so a refusal says which failed.
    jose.jwtVerify(token, keys, { issuer: setup.issuer }).then(
      ({ payload }) => {
        const entry: SeenJwtRequest = { token, accepted: false, audience: payload.aud };
        const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
        if (!audiences.includes(setup.audience)) return refuse({ ...entry, reason: 'audience' });
        seen.push({ ...entry, accepted: true });
        json(res, 200, { ok: true, aud: payload.aud });
      },
      (error: { code?: string }) => refuse({ token, accepted: false, reason: error.code ?? 'invalid' }),
    );
  });
  return { url: server.url, audience: setup.audience, seen, close: () => server.close() };
}
