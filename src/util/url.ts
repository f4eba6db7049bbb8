const ABSOLUTE_URL = /^[a-z][a-z\d+\-.]*:\/\//i;
/** axios's own test: scheme-relative `//host` counts as absolute too. */
const AXIOS_ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/** The origin (`scheme://host[:port]`) of an absolute http(s) URL, or undefined. */
export function originOf(url: string): string | undefined {
  if (!ABSOLUTE_URL.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `hostname` (as `URL#hostname` gives it) is loopback: localhost, 127.0.0.0/8 or [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

export type RequestTarget = { url?: string; baseURL?: string; allowAbsoluteUrls?: boolean };

/**
 * The URL whose origin a request goes to, resolved the way axios does: an absolute `url` wins
 * (unless `allowAbsoluteUrls` is false), otherwise `baseURL`, which a relative `url` is appended to.
 * For the usual relative paths this is `baseURL` whatever the path, so it is what to memoise by.
 */
export function originSource(config: RequestTarget): string {
  const url = config.url ?? '';
  if (isAbsoluteTarget(url, config)) return url;
  return config.baseURL || url;
}

/** Whether axios sends `url` as it is (absolute, and absolute URLs allowed), ignoring `baseURL`. */
function isAbsoluteTarget(url: string, config: RequestTarget): boolean {
  return AXIOS_ABSOLUTE_URL.test(url) && config.allowAbsoluteUrls !== false;
}

/** The full URL a request goes to, joined the way axios joins `baseURL` and a relative `url` (an empty `url`: `baseURL` as it is). */
export function requestUrl(config: RequestTarget): string {
  const url = config.url ?? '';
  if (isAbsoluteTarget(url, config) || !config.baseURL) return url;
  if (url === '') return config.baseURL;
  return `${config.baseURL.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}`;
}

/** The path of a request URL, without origin, query string or fragment (for hook payloads: no secret in it). */
export function pathOnly(url: string | undefined): string {
  const raw = (url ?? '').split(/[?#]/, 1)[0];
  const origin = AXIOS_ABSOLUTE_URL.exec(raw) ? /^([a-z][a-z\d+\-.]*:)?\/\/[^/]*/i.exec(raw) : null;
  return origin ? raw.slice(origin[0].length) || '/' : raw;
}

/** Whether `url` may carry credentials or a bearer: https, or http on a loopback host, or any http with the opt-in. */
export function isSecureEnough(url: URL, allowInsecureHttp: boolean): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (allowInsecureHttp || isLoopbackHost(url.hostname));
}
