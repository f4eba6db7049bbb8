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
export function guardProofOnRedirect(config: { beforeRedirect?: unknown }, origin: string): void {
  const own = config.beforeRedirect as Guarded | undefined;
  if (own?.[GUARDED_FROM] === origin) return;
  const guard: Guarded = (options, ...rest) => {
    if (hopOrigin(options) !== origin && options.headers) {
      for (const name of Object.keys(options.headers)) {
        if (name.toLowerCase() === 'dpop') delete options.headers[name];
      }
    }
    own?.(options, ...rest);
  };
  guard[GUARDED_FROM] = origin;
  config.beforeRedirect = guard;
}
