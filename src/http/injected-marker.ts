import type { AxiosHeaders } from 'axios';
import { type InternalAxiosRequestConfig } from 'axios';

/**
 * Which `Authorization` value the plugin put into a request, kept on its config under a symbol.
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

/** Records that `config` went out with the plugin's header `marker` stands for. */
export function markInjected(config: object, marker: InjectedMarker): void {
  (config as Record<symbol, InjectedMarker>)[INJECTED] = marker;
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
  const marker = (config as unknown as Record<symbol, InjectedMarker | undefined>)[INJECTED];
  if (!marker?.isFrom(owner)) return undefined;
  const header = marker.header();
  return header !== undefined && authorizationOf(config) === header ? header : undefined;
}

/** The token entry whose token the attachment `owner` injected into `config` (see {@link InjectedMarker.source}), if any. */
export function injectedSource(config: object, owner: object): object | undefined {
  const marker = (config as Record<symbol, InjectedMarker | undefined>)[INJECTED];
  return marker?.isFrom(owner) ? marker.source() : undefined;
}
