/**
 * Token sources chosen per request. An attachment's tokens are served by one token source (its
 * token caches by origin, per-request scope and resource, and subject); a feature may choose,
 * per request and per handle call, another source (many tenants: the tenant's), loaded on demand.
 * The core sees such a choice through this file only, and asks it only when the attachment has one.
 */
import type { AxiosRequestConfig } from 'axios';
import type { OAuth2RequestOptions } from '../http/request-options';
import type { StoredToken } from '../store/token-store';
import type { NormalisedSelector } from '../token/token-selector';
import type { SignalLike } from '../util/abort';
import type { SubjectOptions } from './grant';

/**
 * The token caches (`C`) of one set of credentials: by origin, per-request selection, handle
 * selector and, with token exchange, subject. Every method throws `OAuth2RequestOptionsError` for
 * bad per-request (or per-call) options; none makes a token call.
 */
export interface TokenSource<C> {
  /** The cache of requests to `origin` without per-request scope or resource. */
  forOrigin(origin: string): C;
  /** The cache of a request with a scope or resource in `perRequest`, bound where `target` serves. */
  forRequest(perRequest: object, target: C): C;
  /** The cache of a handle call's selector (undefined: the default one). */
  forSelector(selector: NormalisedSelector | undefined): C;
  /** Token exchange: the cache of the subject of request `config` for the selection `entry` stands for. */
  forSubjectOf(entry: C, config: { oauth2?: OAuth2RequestOptions }): C;
  /** A handle call's cache: with token exchange, its subject's (none made when `create` is false), else `entry`. */
  forHandleSubject(method: string, entry: C, options: SubjectOptions | undefined, create: boolean): C | undefined;
  /** The tokens its caches hold now. */
  heldTokens(): StoredToken[];
}

/**
 * A token source chosen per request (and per handle call), possibly loaded first. `K` names a
 * source (a tenant). A request or call that names none is served by the attachment's own source.
 */
export interface SourceChoice<S, K = string> {
  /** The key a request names (e.g. `oauth2.tenant`), or undefined. Throws `OAuth2RequestOptionsError` for a bad one. */
  keyOf(config: AxiosRequestConfig): K | undefined;
  /** The key a handle call's options name (`<method>.tenant`), or undefined. Throws `OAuth2RequestOptionsError`. */
  keyOfCall(method: string, options: unknown): K | undefined;
  /** The keys of a handle call's options that are the choice's (not a selector's). */
  readonly callKeys: readonly string[];
  /** The attachment's own source; throws `OAuth2RequestOptionsError` when it has none. */
  own(): S;
  /** The source of `key` when at hand, synchronously (the hot path). */
  loaded(key: K): S | undefined;
  /** The source of `key`, loaded if need be; rejects (a typed error) for this caller when a signal aborts. */
  load(key: K, signals?: Array<SignalLike | undefined>): Promise<S>;
}
