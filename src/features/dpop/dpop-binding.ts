import type { BoundSenderConstraint, SenderConstraint } from '../../contracts/sender-constraint';
import type { DPoPKey } from './dpop-key';
import type { DPoPSession } from './dpop-session';

/**
 * An attachment's DPoP state: its key (imported when `dpop()` was called) and the signing session,
 * whose module is loaded with a dynamic import on first use, so the signing code is loaded (and, in
 * an ESM bundle, fetched) only once a request needs it.
 */
export class DPoPBinding implements BoundSenderConstraint {
  /** The loaded session; undefined until {@link load} resolved (the hot path then takes the async route). */
  session?: DPoPSession;
  private loading?: Promise<DPoPSession>;

  constructor(
    readonly constraint: SenderConstraint,
    private readonly key: DPoPKey,
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
