import type { AxiosHeaders } from 'axios';
import { type InternalAxiosRequestConfig } from 'axios';

/**
 * Which `Authorization` value the plugin put into a request, kept under a symbol on the request's
 * `oauth2` object (the one the plugin made when it injected), not on the config itself: a symbol
 * added to axios's config cost about 1 µs per request in axios's later work (`npm run bench`).
 * The value is behind a function, so neither `JSON.stringify` nor `util.inspect` of the config
 * shows it. One marker per token (made when the token is first injected), so marking a request
 * costs one property write.
 */
export interface InjectedMarker {
  /** The exact header value injected: `Bearer <access token>`. */
  readonly header: () => string;
  /**
   * Whether `owner` (an attachment) injected it: with several attachments on one axios object, each
   * handles only its own. A function, so inspecting the config never reaches the attachment's state.
   */
  readonly isFrom: (owner: object) => boolean;
  /**
   * The token entry (one scope and resource of the attachment) whose token it is, so the response
   * side renews and replays with that entry. A function, like `isFrom`.
   */
  readonly source: () => object;
}

const INJECTED = Symbol('axios-oauth2-bearer.injected');

/** The marker of one header value injected by the attachment `owner`, from its token entry `source`. */
export function injectedMarker(header: string, owner: object, source: object = owner): InjectedMarker {
  return { header: () => header, isFrom: (candidate) => candidate === owner, source: () => source };
}

/** The marker on `config.oauth2`, if any. */
function markerOf(config: object): InjectedMarker | undefined {
  return (config as { oauth2?: Record<symbol, InjectedMarker | undefined> }).oauth2?.[INJECTED];
}

/**
 * Records that `config` went out with the plugin's header `marker` stands for, on `config.oauth2`:
 * the object the plugin has just made for this request (never the caller's own).
 */
export function markInjected(config: object, marker: InjectedMarker): void {
  (config as { oauth2: Record<symbol, InjectedMarker> }).oauth2[INJECTED] = marker;
}

function authorizationOf(config: InternalAxiosRequestConfig): unknown {
  // Duck-typed: headers of another axios copy (an SDK's own) are AxiosHeaders of that copy.
  const headers = config.headers as Partial<AxiosHeaders> | Record<string, unknown> | undefined;
  return typeof headers?.get === 'function' ? (headers as AxiosHeaders).get('Authorization') : headers?.Authorization;
}

/**
 * The `Authorization` value the plugin injected into `config`, when the request went out with it:
 * undefined when this attachment (`owner`) injected none, or when another interceptor changed the header since
 * (that header is not the plugin's). No history of tokens is kept, so a request that outlives any
 * number of renewals is still recognised.
 */
export function injectedAuthorization(config: InternalAxiosRequestConfig, owner: object): string | undefined {
  const marker = markerOf(config);
  if (!marker?.isFrom(owner)) return undefined;
  const header = marker.header();
  return header !== undefined && authorizationOf(config) === header ? header : undefined;
}

/** The token entry whose token the attachment `owner` injected into `config` (see {@link InjectedMarker.source}), if any. */
export function injectedSource(config: object, owner: object): object | undefined {
  const marker = markerOf(config);
  return marker?.isFrom(owner) ? marker.source() : undefined;
}
