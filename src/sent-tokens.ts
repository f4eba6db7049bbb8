import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import './request-options';

/** How many of the latest tokens are recognised: a request in flight across this many renewals is not. */
const RECENT_TOKENS = 16;

/**
 * The access tokens the plugin put into requests, so the response side can tell which token a
 * rejected request carried: read back from its `Authorization` header, and accepted only when it is
 * one of the plugin's recent tokens. No per-request state is kept (a `WeakMap` entry per request
 * costs the garbage collector more than this lookup costs a 401).
 */
export class SentTokens {
  private readonly recent: string[] = [];

  /** Records a token the plugin injected (cheap when it is the same as last time). */
  note(accessToken: string): void {
    const { recent } = this;
    if (recent[recent.length - 1] === accessToken || recent.includes(accessToken)) return;
    recent.push(accessToken);
    if (recent.length > RECENT_TOKENS) recent.shift();
  }

  /** The plugin's token that `config` was sent with, or undefined when it carried none of them. */
  of(config: InternalAxiosRequestConfig): string | undefined {
    if (!config.oauth2?.injected) return undefined;
    const headers = config.headers as unknown;
    const value =
      headers instanceof AxiosHeaders
        ? headers.get('Authorization')
        : (headers as Record<string, unknown> | undefined)?.Authorization;
    if (typeof value !== 'string' || !value.startsWith('Bearer ')) return undefined;
    const token = value.slice('Bearer '.length);
    return this.recent.includes(token) ? token : undefined;
  }
}
