/**
 * A DPoP resource server for the oidc-provider tests (RFC 9449 §7): it accepts `Authorization: DPoP`
 * only with a valid proof (verified with jose: signature, typ, public jwk, htm, htu, ath, a jti never
 * seen, and its own nonce), for a token the provider's introspection says is active, of type DPoP,
 * bound (`cnf.jkt`) to the proof's key. It requires its own nonce: a missing or stale one is answered
 * 401 `WWW-Authenticate: DPoP error="use_dpop_nonce"` with the current `DPoP-Nonce`.
 */
import axios from 'axios';
import { json, startRawServer, type RawServer } from '../raw-server';
import { verifyProof, type VerifiedProof } from '../dpop-server';

export interface SeenDPoPRequest {
  scheme: string;
  token: string;
  proof: VerifiedProof;
  /** 'ok', 'nonce' (challenged for its nonce) or why the token was refused. */
  outcome: string;
}

export interface DPoPResourceServer {
  url: string;
  seen: SeenDPoPRequest[];
  /** The nonce required from now on (rotate it to test a rotation). */
  nonce: string;
  close(): Promise<void>;
}

export async function startDPoPResourceServer(introspection: {
  url: string;
  clientId: string;
  clientSecret: string;
}): Promise<DPoPResourceServer> {
  const seenJtis = new Set<string>();
  const state: DPoPResourceServer = { url: '', seen: [], nonce: 'rs-nonce-1', close: async () => undefined };
  const server: RawServer = await startRawServer((req, res) => {
    const [scheme = '', token = ''] = String(req.headers.authorization ?? '').split(' ');
    const path = req.url.split(/[?#]/)[0];
    const nonce = state.nonce;
    const challenge = (error: string) =>
      json(
        res,
        401,
        { error },
        { 'WWW-Authenticate': `DPoP algs="ES256 EdDSA", error="${error}"`, 'DPoP-Nonce': nonce },
      );
    void (async () => {
      const proof = await verifyProof(
        req.headers.dpop as string | undefined,
        { htm: req.method, htu: `${state.url}${path}`, accessToken: token, nonce },
        seenJtis,
      );
      const entry: SeenDPoPRequest = { scheme, token, proof, outcome: '' };
      state.seen.push(entry);
      if (proof.reason === 'nonce') {
        entry.outcome = 'nonce';
        return challenge('use_dpop_nonce');
      }
      const answer = await axios.post<{ active?: boolean; token_type?: string; cnf?: { jkt?: string } }>(
        introspection.url,
        new URLSearchParams({ token }).toString(),
        {
          auth: { username: introspection.clientId, password: introspection.clientSecret },
          validateStatus: () => true,
        },
      );
      const info = answer.data;
      entry.outcome = !proof.ok
        ? `proof: ${proof.reason}`
        : scheme !== 'DPoP'
          ? 'scheme'
          : info.active !== true
            ? 'inactive'
            : info.token_type !== 'DPoP' || info.cnf?.jkt !== proof.jkt
              ? 'binding'
              : 'ok';
      if (entry.outcome === 'ok') json(res, 200, { ok: true }, { 'DPoP-Nonce': nonce });
      else challenge('invalid_token');
    })();
  });
  state.url = server.url;
  state.close = () => server.close();
  return state;
}
