/**
 * What a `beforeRedirect` hook is given by axios's http adapter: follow-redirects' options for the
 * next hop (its URL spread into `protocol` and `host`) and the headers it will send.
 */
interface RedirectOptions {
  protocol?: string;
  host?: string;
  headers?: Record<string, unknown>;
}

type BeforeRedirect = (options: RedirectOptions, ...rest: unknown[]) => void;

/** Marks the hook installed here, so a request sent again (a retry) is not wrapped twice. */
const GUARDED_FROM = Symbol('axios-oauth2-bearer.dpopRedirectGuard');

type Guarded = BeforeRedirect & { [GUARDED_FROM]?: string };

/** The origin of the next hop, or undefined when it cannot be told (then it counts as another origin). */
function hopOrigin(options: RedirectOptions): string | undefined {
  try {
    return new URL(`${options.protocol ?? ''}//${options.host ?? ''}`).origin;
  } catch {
    return undefined;
  }
}

/**
 * The `DPoP` proof is a credential like `Authorization`: axios's http adapter drops `Authorization`
 * on a redirect to another origin, and with this hook (chained before the caller's own
 * `beforeRedirect`) drops `DPoP` too. `origin` is the origin the proof was made for.
 */
export function guardProofOnRedirect(config: { beforeRedirect?: unknown }, origin: string, memo?: GuardMemo): void {
  const own = config.beforeRedirect as Guarded | undefined;
  if (own?.[GUARDED_FROM] === origin) return;
  // Without a hook of the caller's, the guard depends on the origin alone: one per origin will do.
  if (own === undefined && memo !== undefined) {
    let guard = memo.hooks.get(origin);
    if (guard === undefined) {
      guard = redirectGuard(origin, undefined);
      if (memo.hooks.size >= MEMO_ORIGINS) memo.hooks.delete(memo.hooks.keys().next().value as string);
      memo.hooks.set(origin, guard);
    }
    config.beforeRedirect = guard;
    return;
  }
  config.beforeRedirect = redirectGuard(origin, own);
}

/** The `beforeRedirect` hook that drops `DPoP` on a hop off `origin`, then calls the caller's `own`. */
function redirectGuard(origin: string, own: BeforeRedirect | undefined): Guarded {
  const guard: Guarded = (options, ...rest) => {
    if (hopOrigin(options) !== origin && options.headers) {
      for (const name of Object.keys(options.headers)) {
        if (name.toLowerCase() === 'dpop') delete options.headers[name];
      }
    }
    own?.(options, ...rest);
  };
  guard[GUARDED_FROM] = origin;
  return guard;
}

/** A WHATWG `fetch` as axios's fetch adapter calls it (`env.fetch`). */
type FetchLike = (input: Request, init?: Record<string, unknown>) => Promise<Response>;

/** What a DPoP request config holds that the fetch guard reads and sets. */
interface FetchTarget {
  maxRedirects?: number;
  fetchOptions?: unknown;
  env?: unknown;
}

/** Redirects a fetch follows (Fetch Standard "redirect status"), and the most it follows in a row. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_HOPS = 20;
/** Headers a hop to another origin never carries: the credentials (the Fetch Standard drops the last three). */
const CREDENTIAL_HEADERS = ['dpop', 'authorization', 'proxy-authorization', 'cookie'];

/**
 * The same for axios's fetch adapter, which lets the platform follow redirects (the platform drops
 * `Authorization`, not `DPoP`): the request is sent with `redirect: 'manual'` and the hops are
 * followed here, as fetch would (303, and 301/302 after a POST, become a GET without body; at most
 * 20 hops); the first hop to another origin is sent without `DPoP`, `Authorization`, `Cookie` and
 * `Proxy-Authorization`, and the platform follows the rest. Through `env.fetch` (axios 1.8+); an
 * axios whose fetch adapter ignores `env.fetch` sends `redirect: 'manual'` alone: the redirect is
 * answered to the caller, not followed. Left alone when the caller chose another `redirect` mode or
 * `maxRedirects: 0`.
 */
export function guardFetchRedirects(config: FetchTarget, origin: string, memo?: GuardMemo): void {
  if (config.maxRedirects === 0) return;
  const fetchOptions = config.fetchOptions as Record<string, unknown> | undefined;
  const mode = fetchOptions?.redirect;
  if (mode !== undefined && mode !== 'follow') return;
  const env = config.env as Record<string, unknown> | undefined;
  const inner = (typeof env?.fetch === 'function' ? env.fetch : fetch) as FetchLike;
  config.fetchOptions = { ...fetchOptions, redirect: 'manual' };
  // The wrapper depends on (inner fetch, origin) alone: the last one made is used again.
  let wrapped = memo?.fetch;
  if (wrapped?.inner !== inner || wrapped.origin !== origin) {
    wrapped = { inner, origin, fetch: followingFetch(inner, origin) };
    if (memo !== undefined) memo.fetch = wrapped;
  }
  // A copy of the caller's env with `fetch` replaced, as `{ ...env, fetch }` would make it, at about a
  // tenth of that spread's cost (measured on Node 20 with axios's env, whose values are classes).
  const copy: Record<string, unknown> = Object.assign({}, env);
  copy.fetch = wrapped.fetch;
  config.env = copy;
}

/** Origins whose redirect hook is kept (a client talks to a few); the oldest goes first. */
const MEMO_ORIGINS = 32;

/**
 * One attachment's guards, made once and reused (they depend on the origin and the inner fetch
 * only), so a request pays for no new function: see {@link guardProofOnRedirect}, {@link guardFetchRedirects}.
 */
export class GuardMemo {
  readonly hooks = new Map<string, Guarded>();
  fetch?: { inner: FetchLike; origin: string; fetch: FetchLike };
}

/** Headers about a body, dropped with it when a redirect turns the request into a GET. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

/** Whether fetch turns the request into a GET without body on this redirect (Fetch Standard §4.4). */
function becomesGet(status: number, method: string): boolean {
  return (status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
}

function followingFetch(inner: FetchLike, origin: string): FetchLike {
  return async (input, init) => {
    let request = new Request(input, init);
    // What the request itself does not carry (an undici `dispatcher`), for every hop.
    const extra: Record<string, unknown> = { ...init };
    for (const owned of ['body', 'headers', 'method', 'signal', 'duplex']) delete extra[owned];
    for (let hop = 0; ; hop += 1) {
      // A 307/308 sends the body again: kept aside (only a request that has one).
      const spare = request.body ? request.clone() : undefined;
      const response = await inner(request, { ...extra, redirect: 'manual' });
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
      if (hop >= MAX_HOPS) throw new TypeError('fetch failed: redirect count exceeded');
      await response.body?.cancel();
      const next = new URL(location, request.url);
      const headers = new Headers(request.headers);
      let method = request.method;
      let body = spare?.body ?? null;
      if (becomesGet(response.status, method)) {
        method = 'GET';
        body = null;
        for (const name of BODY_HEADERS) headers.delete(name);
      }
      const leaving = next.origin !== origin;
      if (leaving) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
      const redirect = leaving ? 'follow' : 'manual';
      request = new Request(next, {
        method,
        headers,
        body,
        signal: request.signal,
        redirect,
        duplex: 'half',
      });
      // Off the origin, with no credential left: the platform follows the rest.
      if (leaving) return inner(request, { ...extra, redirect });
    }
  };
}
