import type { StoredToken } from '../store/token-store';
import type { DPoPKey } from './dpop-key';
import type { DPoPSession } from './dpop-session';

/**
 * An attachment's DPoP state: its key (imported at attach time, for the cache key and early errors)
 * and the signing session, whose module is loaded with a dynamic import on first use, so users
 * without DPoP never load (nor bundle into their entry chunk) the signing code.
 */
export class DPoPBinding {
  /** The loaded session; undefined until {@link load} resolved (the hot path then takes the async route). */
  session?: DPoPSession;
  private loading?: Promise<DPoPSession>;

  constructor(
    readonly key: DPoPKey,
    private readonly clock: () => number,
  ) {}

  /** The signing session, loaded once; a failed load is tried again on the next need, not kept. */
  load(): Promise<DPoPSession> {
    this.loading ??= import('./dpop-session').then(
      ({ DPoPSession }) => {
        this.session = new DPoPSession(this.key, this.clock);
        return this.session;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }
}

/**
 * The scheme a token is sent with: `DPoP` when DPoP is on and the server issued a DPoP token
 * (`token_type: DPoP`, any case), else `Bearer` (the scheme follows the token type returned).
 */
export function schemeOf(token: StoredToken, dpop: DPoPBinding | undefined): 'DPoP' | 'Bearer' {
  return dpop !== undefined && token.tokenType?.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
}
