import { OAuth2OptionsError } from '../errors';
import type { OAuth2Options } from './options';
import { describe } from './describe';

/** Options for `attachOAuth2`, plus what `axios.create` needs for the API. */
export type Preset = OAuth2Options & {
  /** The provider's token endpoint. */
  tokenUrl: string;
  /** `baseURL` for `axios.create`. */
  baseURL: string;
  /** Headers every API call needs, for `axios.create({ headers })`. */
  headers: Record<string, string>;
};

/** Which of an API's environments a preset targets. */
export type Environment = 'sandbox' | 'production';

function need(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new OAuth2OptionsError(
      option,
      `axios-oauth2-bearer: preset option "${option}" must be a non-empty string, got ${describe(value, false)}`,
    );
  }
  return value;
}

function environment(value: unknown): Environment {
  if (value !== 'sandbox' && value !== 'production') {
    throw new OAuth2OptionsError(
      'environment',
      `axios-oauth2-bearer: preset option "environment" must be 'sandbox' or 'production', got ${describe(value)}`,
    );
  }
  return value;
}

function origin(option: string, value: string): string {
  try {
    return new URL(value).origin;
  } catch {
    throw new OAuth2OptionsError(option, `axios-oauth2-bearer: preset option "${option}" must be an absolute URL`);
  }
}

/** Options of {@link mangopay}. Give one of `environment`, `baseUrl` or `origin`. */
export interface MangopayPresetOptions extends Partial<Omit<OAuth2Options, 'tokenUrl' | 'clientId' | 'clientSecret'>> {
  /** Which Mangopay host: `https://api.sandbox.mangopay.com` or `https://api.mangopay.com`. Not needed with `baseUrl` or `origin`. */
  environment?: Environment;
  clientId: string;
  /** The Mangopay API key (the client secret). */
  apiKey: string;
  /**
   * The SDK's `baseUrl` (e.g. `https://api.sandbox.mangopay.com`): its origin serves every call, the
   * token call included. Same effect as `origin`; give one or the other.
   */
  baseUrl?: string;
  /**
   * Another host for every call, the token call included, e.g. the mTLS host
   * (`https://api-mtls.sandbox.mangopay.com`) of platforms using SCA proxy management.
   * @default `https://api.sandbox.mangopay.com` or `https://api.mangopay.com`, from `environment`
   */
  origin?: string;
}

function mangopayOrigin(env: unknown, baseUrl: unknown, host: unknown): string {
  if (env !== undefined) environment(env);
  if (baseUrl !== undefined && host !== undefined) {
    throw new OAuth2OptionsError(
      'baseUrl',
      'axios-oauth2-bearer: preset options "baseUrl" and "origin" are the same thing; give one',
    );
  }
  if (baseUrl !== undefined) return origin('baseUrl', need('baseUrl', baseUrl));
  if (host !== undefined) return origin('origin', need('origin', host));
  return environment(env) === 'sandbox' ? 'https://api.sandbox.mangopay.com' : 'https://api.mangopay.com';
}

/**
 * Mangopay REST API v2.01: `POST /v2.01/oauth/token` with HTTP Basic, and `baseURL`
 * `{origin}/v2.01/{clientId}`; `/V3.0/` paths on the same origin get the token too.
 * The Basic credentials are `base64(ClientId:ApiKey)` as Mangopay documents and its SDKs send
 * (`basicEncoding: 'raw'`; pass `basicEncoding: 'rfc6749'` for the strict form).
 */
export function mangopay(options: MangopayPresetOptions): Preset {
  const {
    environment: env,
    clientId,
    apiKey,
    baseUrl,
    origin: host,
    ...rest
  } = options ?? ({} as MangopayPresetOptions);
  const base = mangopayOrigin(env, baseUrl, host);
  const id = need('clientId', clientId);
  return {
    basicEncoding: 'raw',
    ...rest,
    tokenUrl: `${base}/v2.01/oauth/token`,
    clientId: id,
    clientSecret: need('apiKey', apiKey),
    apiOrigins: rest.apiOrigins ?? [base],
    baseURL: `${base}/v2.01/${encodeURIComponent(id)}`,
    headers: {},
  };
}

/** Options of {@link musement}. */
export interface MusementPresetOptions extends Partial<Omit<OAuth2Options, 'tokenUrl' | 'clientId' | 'clientSecret'>> {
  environment: Environment;
  clientId: string;
  clientSecret: string;
  /** Sent as `X-Musement-Application` on every call, `/login` included. */
  application: string;
  /** Use the legacy `GET /login?client_id=…` instead of `POST /login` with a JSON body. @default false */
  legacyLogin?: boolean;
  /** Another API base URL (e.g. a local test server). @default the environment's `…/api/v3` */
  baseURL?: string;
}

/**
 * Musement API v3: `POST {base}/login` with a JSON body (or the legacy GET with a query), the
 * `X-Musement-Application` header on the token call and, through `headers`, on every API call.
 */
export function musement(options: MusementPresetOptions): Preset {
  const {
    environment: env,
    clientId,
    clientSecret,
    application,
    legacyLogin,
    baseURL,
    ...rest
  } = options ?? ({} as MusementPresetOptions);
  const apiBase = (
    baseURL ??
    (environment(env) === 'sandbox' ? 'https://sandbox.musement.com/api/v3' : 'https://api.musement.com/api/v3')
  ).replace(/\/+$/, '');
  if (baseURL !== undefined) environment(env);
  const headers = { 'X-Musement-Application': need('application', application) };
  return {
    clientAuthentication: 'client_secret_post',
    tokenRequestFormat: legacyLogin ? 'query' : 'json',
    ...rest,
    tokenUrl: `${apiBase}/login`,
    clientId: need('clientId', clientId),
    clientSecret: need('clientSecret', clientSecret),
    tokenRequestHeaders: { ...rest.tokenRequestHeaders, ...headers },
    apiOrigins: rest.apiOrigins ?? [origin('baseURL', apiBase)],
    baseURL: apiBase,
    headers,
  };
}
