/**
 * A DPoP authorization server and resource server on 127.0.0.1 for the DPoP tests, verifying every
 * proof independently with `jose`: signature, header (`typ`, `alg`, public `jwk` only), `htm`, `htu`
 * (no query or fragment), `iat`, `jti` never seen before, `ath` on API requests, the key thumbprint
 * against the token's binding, and the server's nonce when it requires one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash } from 'node:crypto';
import * as jose from 'jose';
import { readBody } from './loopback';

export interface VerifiedProof {
  ok: boolean;
  /** Why the proof was refused ('' when ok). */
  reason: string;
  jti?: string;
  alg?: string;
  jkt?: string;
  claims?: jose.JWTPayload;
  header?: jose.ProtectedHeaderParameters;
}

export interface DPoPCall {
  path: string;
  method: string;
  authorization: string;
  proof: VerifiedProof;
  /** The proof as sent. */
  raw: string;
  status: number;
}

export interface DPoPServer {
  origin: string;
  tokenUrl: string;
  apiUrl: string;
  tokenCalls: DPoPCall[];
  apiCalls: DPoPCall[];
  /** The nonce the token endpoint requires (undefined: none required). */
  tokenNonce?: string;
  /** Answer every token request with `use_dpop_nonce` (a broken server), counting them. */
  alwaysDemandTokenNonce: boolean;
  /** The nonce the API requires (undefined: none required). */
  apiNonce?: string;
  /** Answer every API request with a nonce challenge. */
  alwaysDemandApiNonce: boolean;
  /** token_type of issued tokens. @default 'DPoP' */
  tokenType: string;
  /** Announced in a successful API answer's `DPoP-Nonce` (and required from then on), once. */
  announceApiNonce?: string;
  /** Answer every API call 401 DPoP error="invalid_token" (an API that accepts none of the tokens). */
  rejectAllTokens?: boolean;
  /** Tokens revoked (answered 401 DPoP error="invalid_token"). */
  revoked: Set<string>;
  /** Statuses answered in order, one per token request (undefined: handled normally), while any are left. */
  tokenFaults: Array<number | undefined>;
  /** Called when a token is issued (e.g. to rotate the API nonce at that moment). */
  onTokenIssued?: (accessToken: string) => void;
  /** Issued tokens and the thumbprint each is bound to. */
  issued: Map<string, string>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Verifies one proof as RFC 9449 §4.3 says; `seen` holds the jtis seen so far (replays refused). */
export async function verifyProof(
  proof: string | undefined,
  expected: { htm: string; htu: string; accessToken?: string; nonce?: string },
  seen: Set<string>,
): Promise<VerifiedProof> {
  if (!proof) return { ok: false, reason: 'no proof' };
  try {
    const header = jose.decodeProtectedHeader(proof);
    if (header.typ !== 'dpop+jwt') return { ok: false, reason: 'typ', header };
    const jwk = header.jwk;
    if (!jwk || 'd' in jwk) return { ok: false, reason: 'jwk', header };
    const key = await jose.importJWK(jwk, header.alg);
    const { payload } = await jose.jwtVerify(proof, key, { typ: 'dpop+jwt', maxTokenAge: '60s', clockTolerance: 5 });
    const jkt = await jose.calculateJwkThumbprint(jwk, 'sha256');
    const base = { jti: payload.jti, alg: header.alg, jkt, claims: payload, header };
    if (typeof payload.jti !== 'string' || seen.has(payload.jti)) return { ok: false, reason: 'jti', ...base };
    seen.add(payload.jti);
    if (payload.htm !== expected.htm) return { ok: false, reason: 'htm', ...base };
    if (payload.htu !== expected.htu) return { ok: false, reason: 'htu', ...base };
    if (typeof payload.iat !== 'number') return { ok: false, reason: 'iat', ...base };
    if (expected.accessToken !== undefined) {
      const ath = createHash('sha256').update(expected.accessToken).digest('base64url');
      if (payload.ath !== ath) return { ok: false, reason: 'ath', ...base };
    }
    if (expected.nonce !== undefined && payload.nonce !== expected.nonce)
      return { ok: false, reason: 'nonce', ...base };
    return { ok: true, reason: '', ...base };
  } catch (error) {
    return { ok: false, reason: `invalid: ${(error as Error).message}` };
  }
}

export async function startDPoPServer(): Promise<DPoPServer> {
  const sockets = new Set<Socket>();
  const seen = new Set<string>();
  let counter = 0;
  const state: DPoPServer = {
    origin: '',
    tokenUrl: '',
    apiUrl: '',
    tokenCalls: [],
    apiCalls: [],
    alwaysDemandTokenNonce: false,
    alwaysDemandApiNonce: false,
    tokenType: 'DPoP',
    revoked: new Set(),
    tokenFaults: [],
    issued: new Map(),
    close: async () => undefined,
  };

  async function token(req: IncomingMessage, res: ServerResponse) {
    await readBody(req);
    const proofHeader = req.headers.dpop as string | undefined;
    const nonce = state.tokenNonce;
    const proof = await verifyProof(proofHeader, { htm: 'POST', htu: state.tokenUrl, nonce }, seen);
    const call: DPoPCall = {
      path: '/token',
      method: 'POST',
      authorization: req.headers.authorization ?? '',
      proof,
      raw: proofHeader ?? '',
      status: 0,
    };
    state.tokenCalls.push(call);
    const fault = state.tokenFaults.shift();
    if (fault !== undefined) {
      call.status = fault;
      return send(res, fault, { error: 'server_error' });
    }
    if (state.alwaysDemandTokenNonce || proof.reason === 'nonce') {
      call.status = 400;
      const next = state.alwaysDemandTokenNonce ? `tn-${state.tokenCalls.length}` : (nonce as string);
      return send(res, 400, { error: 'use_dpop_nonce', error_description: 'nonce required' }, { 'DPoP-Nonce': next });
    }
    if (!proof.ok) {
      call.status = 400;
      return send(res, 400, { error: 'invalid_dpop_proof', error_description: proof.reason });
    }
    const accessToken = `dpop-tok-${++counter}`;
    state.issued.set(accessToken, proof.jkt as string);
    state.onTokenIssued?.(accessToken);
    call.status = 200;
    send(res, 200, { access_token: accessToken, token_type: state.tokenType, expires_in: 3600 });
  }

  async function api(req: IncomingMessage, res: ServerResponse) {
    await readBody(req);
    const url = new URL(req.url ?? '/', state.origin);
    const authorization = req.headers.authorization ?? '';
    const accessToken = authorization.startsWith('DPoP ') ? authorization.slice(5) : '';
    const nonce = state.apiNonce;
    const proof = await verifyProof(
      req.headers.dpop as string | undefined,
      { htm: req.method ?? 'GET', htu: `${state.origin}${url.pathname}`, accessToken, nonce },
      seen,
    );
    const call: DPoPCall = {
      path: url.pathname + url.search,
      method: req.method ?? 'GET',
      authorization,
      proof,
      raw: (req.headers.dpop as string | undefined) ?? '',
      status: 0,
    };
    state.apiCalls.push(call);
    const challenge = (error: string, extra: Record<string, string> = {}) => {
      call.status = 401;
      send(res, 401, { error }, { 'WWW-Authenticate': `DPoP algs="ES256 EdDSA", error="${error}"`, ...extra });
    };
    if (state.alwaysDemandApiNonce) return challenge('use_dpop_nonce', { 'DPoP-Nonce': `an-${state.apiCalls.length}` });
    if (proof.reason === 'nonce') return challenge('use_dpop_nonce', { 'DPoP-Nonce': nonce as string });
    const bound = state.issued.get(accessToken);
    if (state.rejectAllTokens || !proof.ok || bound !== proof.jkt || state.revoked.has(accessToken)) {
      return challenge('invalid_token');
    }
    call.status = 200;
    const announced = state.announceApiNonce;
    state.announceApiNonce = undefined;
    if (announced !== undefined) state.apiNonce = announced;
    send(res, 200, { ok: true, token: accessToken }, announced === undefined ? {} : { 'DPoP-Nonce': announced });
  }

  const server = createServer((req, res) => {
    const handler = req.url === '/token' ? token : api;
    handler(req, res).catch(() => {
      res.writeHead(500).end();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.origin = `http://127.0.0.1:${port}`;
  state.tokenUrl = `${state.origin}/token`;
  state.apiUrl = `${state.origin}/api`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  return state;
}
