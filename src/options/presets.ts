import { OAuth2OptionsError } from '../errors';
import type { OAuth2Options } from './options';
import { describe } from '../util/describe';
import { checkPresetKeys, MANGOPAY_KEYS, MUSEMENT_KEYS } from './option-keys';

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

/** Options of {@link mangopay}. Give one of `environment`, `baseURL` or `origin`. */
export interface MangopayPresetOptions extends Partial<Omit<OAuth2Options, 'tokenUrl' | 'clientId' | 'clientSecret'>> {
  /** Which Mangopay host: `https://api.sandbox.mangopay.com` or `https://api.mangopay.com`. Not needed with `baseURL` or `origin`. */
  environment?: Environment;
  clientId: string;
  /** The Mangopay API key (the client secret). */
  apiKey: string;
  /**
   * The API's base URL, e.g. the Mangopay SDK's `baseUrl` (`https://api.sandbox.mangopay.com`): its
   * origin serves every call, the token call included. Same effect as `origin`; give one or the other.
   */
  baseURL?: string;
  /**
   * Another host for every call, the token call included, e.g. the mTLS host
   * (`https://api-mtls.sandbox.mangopay.com`) of platforms using SCA proxy management.
   * @default `https://api.sandbox.mangopay.com` or `https://api.mangopay.com`, from `environment`
   */
  origin?: string;
}

function mangopayOrigin(env: unknown, baseURL: unknown, host: unknown): string {
  if (env !== undefined) environment(env);
  if (baseURL !== undefined && host !== undefined) {
    throw new OAuth2OptionsError(
      'baseURL',
      'axios-oauth2-bearer: preset options "baseURL" and "origin" are the same thing; give one',
    );
  }
  if (baseURL !== undefined) return origin('baseURL', need('baseURL', baseURL));
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
  checkPresetKeys('mangopay', options, MANGOPAY_KEYS);
  const {
    environment: env,
    clientId,
    apiKey,
    baseURL,
    origin: host,
    ...rest
  } = options ?? ({} as MangopayPresetOptions);
  const base = mangopayOrigin(env, baseURL, host);
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
  /** Which Musement API: sandbox or production. Not needed with `baseURL`. */
  environment?: Environment;
  clientId: string;
  clientSecret: string;
  /** Sent as `X-Musement-Application` on every call, `/login` included. */
  application: string;
  /** Use the legacy `GET /login?client_id=…` instead of `POST /login` with a JSON body. @default false */
  legacyLogin?: boolean;
  /** The API base URL (e.g. a local test server); `environment` is then not needed. @default the environment's `…/api/v3` */
  baseURL?: string;
}

/**
 * Musement API v3: `POST {base}/login` with a JSON body (or the legacy GET with a query), the
 * `X-Musement-Application` header on the token call and, through `headers`, on every API call.
 */
export function musement(options: MusementPresetOptions): Preset {
  checkPresetKeys('musement', options, MUSEMENT_KEYS);
  const {
    environment: env,
    clientId,
    clientSecret,
    application,
    legacyLogin,
    baseURL,
    ...rest
  } = options ?? ({} as MusementPresetOptions);
  if (env !== undefined) environment(env);
  const apiBase = (
    baseURL === undefined
      ? environment(env) === 'sandbox'
        ? 'https://sandbox.musement.com/api/v3'
        : 'https://api.musement.com/api/v3'
      : need('baseURL', baseURL)
  ).replace(/\/+$/, '');
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
