import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerContext } from './context';
import { basicCredentials, hasMediaType, parseForm } from './http-utils';
import { beginTokenCall, tokenError, tokenSuccess } from './token-call';
import { mutualTlsClient } from './mutual-tls';
import { ClientAssertionCheck } from './client-assertion-check';
import { DPoPGate } from './dpop';
import { acceptTokenExchange, TOKEN_EXCHANGE_GRANT } from './token-exchange';

/** DPoP servers: the proof's key thumbprint, or false when the call was answered (nonce or bad proof). */
function checkTokenProof(
  ctx: ServerContext,
  gate: DPoPGate,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): string | false {
  const required = gate.options.requireNonceAtTokenEndpoint === true;
  const check = gate.check(req, DPoPGate.htuOf(req, path), undefined, required, gate.tokenNonce);
  if (check.ok) return check.jkt;
  if (check.nonce) {
    tokenError(ctx, res, 400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.', {
      'DPoP-Nonce': gate.tokenNonce,
    });
  } else tokenError(ctx, res, 400, 'invalid_dpop_proof', `Invalid DPoP proof: ${check.reason}.`);
  return false;
}

const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Path of the Mangopay token endpoint. */
export const TOKEN_PATH = '/v2.01/oauth/token';

/** Exact description Mangopay sends with a lockout. */
export const LOCKOUT_DESCRIPTION =
  'This account has been temporarily locked for security reasons. Please try again later.';

/**
 * How the client authenticated: `ok`, or `mtls` with the certificate thumbprint (mutual TLS);
 * `refused`: a client assertion was refused, and why (never the assertion itself).
 */
export type Check = 'ok' | 'bad' | 'ambiguous' | { mtls: string } | { refused: string };

/** Whether the request's client authentication (Basic, body, assertion or certificate) names the server's client. */
export function checkCredentials(
  ctx: ServerContext,
  req: IncomingMessage,
  form: Record<string, string>,
  path: string,
): Check {
  const { basicEncoding } = ctx.options;
  // Many clients: the secret is the one of the client the request names (the main one otherwise).
  const claimed = claimedClient(req, form);
  const extraSecret = claimed === undefined ? undefined : ctx.clients.secretOf(claimed);
  const clientId = extraSecret === undefined ? ctx.options.clientId : (claimed as string);
  const clientSecret = extraSecret ?? ctx.options.clientSecret;
  if (ClientAssertionCheck.applies(form)) {
    if (basicCredentials(req) !== undefined) return 'ambiguous';
    // A workload token of the federated issuer (RFC 7523 §2.2): verified against its JWKS.
    if (ctx.workload?.claimsIssuer(form.client_assertion)) {
      if (form.client_assertion_type !== JWT_BEARER_ASSERTION)
        return { refused: 'client_assertion_type must be jwt-bearer' };
      if (form.client_id !== clientId) return { refused: 'client_id does not match' };
      const refused = ctx.workload.refusal(req, form.client_assertion, path);
      return refused === undefined ? 'ok' : { refused };
    }
    const refused = ctx.assertions ? ctx.assertions.refusal(req, form, path) : 'client assertions are not enabled';
    return refused === undefined ? 'ok' : { refused };
  }
  const matches = (c?: { id: string; secret: string }): boolean =>
    c !== undefined && c.id === clientId && c.secret === clientSecret;
  const basic = basicCredentials(req);
  // A public client (method `none`): named in the body, nothing to prove; never the client credentials grant.
  if (basic === undefined && form.client_secret === undefined && isPublicClient(ctx, form.client_id))
    return form.grant_type === 'client_credentials' ? 'bad' : 'ok';
  const inBody = form.client_id !== undefined || form.client_secret !== undefined;
  if (basic !== undefined && inBody) return 'ambiguous';
  if (basic !== undefined) {
    const strictOk = basicEncoding !== 'raw' && matches(basic.strict);
    const rawOk = basicEncoding !== 'strict' && matches(basic.raw);
    return strictOk || rawOk ? 'ok' : 'bad';
  }
  if (ctx.options.mtls && form.client_secret === undefined) {
    const thumbprint = mutualTlsClient(ctx, req, form.client_id);
    return thumbprint === undefined ? 'bad' : { mtls: thumbprint };
  }
  return matches({ id: form.client_id, secret: form.client_secret }) ? 'ok' : 'bad';
}

/** Whether `clientId` is one of the server's public clients (`publicClients`). */
function isPublicClient(ctx: ServerContext, clientId: string | undefined): boolean {
  return clientId !== undefined && ctx.options.publicClients.includes(clientId);
}

/** The client id a token call names (Basic, strict or raw, else `client_id` in the body), before any check. */
export function claimedClient(req: IncomingMessage, form: Record<string, string>): string | undefined {
  const basic = basicCredentials(req);
  return basic ? (basic.strict?.id ?? basic.raw.id) : form.client_id;
}

/**
 * `POST /v2.01/oauth/token`: the Mangopay client credentials grant, with
 * HTTP Basic (strict or raw encoding) or body credentials, and a lockout after
 * repeated bad credentials (the attempt that reaches the limit still gets `invalid_client`).
 */
export async function handleMangopayToken(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const body = await beginTokenCall(ctx, req, res, path);
  if (body === undefined) return;
  if (req.method !== 'POST') {
    tokenError(ctx, res, 405, 'invalid_request', 'The token endpoint only accepts POST.', { Allow: 'POST' });
    return;
  }
  // Many clients: an extra client's own lockout (known before the body: the Basic header names it).
  const early = ctx.clients.lockoutOf(claimedClient(req, {}));
  if ((early ?? ctx.lockout).isLocked()) {
    ctx.counters.lockedResponses += 1;
    const retry = ctx.options.lockoutRetryAfterSeconds;
    const headers = retry !== undefined ? { 'Retry-After': String(retry) } : {};
    tokenError(ctx, res, 400, 'unauthorized_client', LOCKOUT_DESCRIPTION, headers);
    return;
  }
  if (!hasMediaType(req, 'application/x-www-form-urlencoded')) {
    tokenError(ctx, res, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
    return;
  }
  const jkt = ctx.dpop ? checkTokenProof(ctx, ctx.dpop, req, res, path) : undefined;
  if (jkt === false) return;
  const form = parseForm(body);
  const claimed = claimedClient(req, form);
  const lockout = ctx.clients.lockoutOf(claimed) ?? ctx.lockout;
  if (lockout !== ctx.lockout && lockout.isLocked()) {
    ctx.counters.lockedResponses += 1;
    const retry = ctx.options.lockoutRetryAfterSeconds;
    tokenError(
      ctx,
      res,
      400,
      'unauthorized_client',
      LOCKOUT_DESCRIPTION,
      retry === undefined ? {} : { 'Retry-After': String(retry) },
    );
    return;
  }
  const check = checkCredentials(ctx, req, form, path);
  if (check === 'ambiguous') {
    tokenError(ctx, res, 400, 'invalid_request', 'Use only one client authentication method per request.');
    return;
  }
  if (check === 'bad' || (typeof check === 'object' && 'refused' in check)) {
    ctx.counters.badCredentials += 1;
    if (lockout.recordFailure()) ctx.counters.lockouts += 1;
    const why = check === 'bad' ? 'unknown client or wrong secret' : `client assertion refused (${check.refused})`;
    tokenError(ctx, res, 400, 'invalid_client', `Client authentication failed: ${why}.`);
    return;
  }
  lockout.recordSuccess();
  if (form.grant_type === undefined) {
    tokenError(ctx, res, 400, 'invalid_request', 'The grant_type parameter is missing.');
    return;
  }
  // The JWT bearer grant (RFC 7523 §2.1) with a workload token of the federated issuer.
  const jwtBearer = form.grant_type === JWT_BEARER_GRANT && ctx.workload !== undefined;
  const refusedGrant = jwtBearer ? ctx.workload?.refusal(req, form.assertion, path) : undefined;
  if (refusedGrant !== undefined) {
    tokenError(ctx, res, 400, 'invalid_grant', `The assertion was refused (${refusedGrant}).`);
    return;
  }
  // Token exchange (RFC 8693), with the tokenExchange option: undefined when it answered an error.
  const exchanging = form.grant_type === TOKEN_EXCHANGE_GRANT && ctx.options.tokenExchange !== undefined;
  const exchange = exchanging ? acceptTokenExchange(ctx, res, form, ctx.options.tokenExchange ?? {}) : undefined;
  if (exchanging && exchange === undefined) return;
  if (form.grant_type !== 'client_credentials' && !exchanging && !jwtBearer) {
    tokenError(ctx, res, 400, 'unsupported_grant_type', `Unsupported grant_type: ${form.grant_type}.`);
    return;
  }
  const lifetime = ctx.tokenLifetime;
  const issued = ctx.tokens.issue({
    kind: 'mangopay',
    grantType: form.grant_type,
    lifetimeSeconds: lifetime,
    scope: form.scope,
    boundTo: typeof check === 'object' && 'mtls' in check ? check.mtls : undefined,
    clientId: claimed !== undefined && ctx.clients.has(claimed) ? claimed : ctx.options.clientId,
    ...exchange?.issue,
  });
  if (jkt !== undefined) ctx.dpop?.bind(issued.token, jkt);
  const tokenType = jkt === undefined ? 'bearer' : 'DPoP';
  tokenSuccess(ctx, res, {
    access_token: issued.token,
    token_type: tokenType,
    expires_in: lifetime,
    ...exchange?.answer,
  });
}
