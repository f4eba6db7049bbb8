/**
 * A resource server for the oidc-provider tests: it accepts a bearer token only when the provider's
 * introspection endpoint (RFC 7662) says it is active, and otherwise answers 401 with an RFC 6750
 * `invalid_token` challenge. Records what it saw (the scheme and whether the token was accepted).
 */
import axios from 'axios';
import { json, startRawServer, type RawServer } from '../raw-server';

export interface SeenApiRequest {
  scheme: string;
  token: string;
  accepted: boolean;
}

export interface ResourceServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  seen: SeenApiRequest[];
  close(): Promise<void>;
}

/** Introspects with the credentials of a client allowed to introspect (any registered client). */
export async function startIntrospectingResourceServer(introspection: {
  url: string;
  clientId: string;
  clientSecret: string;
}): Promise<ResourceServer> {
  const seen: SeenApiRequest[] = [];
  const server: RawServer = await startRawServer((req, res) => {
    const [scheme = '', token = ''] = String(req.headers.authorization ?? '').split(' ');
    void axios
      .post<{ active?: boolean }>(introspection.url, new URLSearchParams({ token }).toString(), {
        auth: { username: introspection.clientId, password: introspection.clientSecret },
        validateStatus: () => true,
      })
      .then((answer) => {
        const accepted = scheme === 'Bearer' && answer.data.active === true;
        seen.push({ scheme, token, accepted });
        if (accepted) json(res, 200, { ok: true });
        else json(res, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
      });
  });
  return { url: server.url, seen, close: () => server.close() };
}
