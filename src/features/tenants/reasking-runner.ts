import { TokenEndpointError } from '../../errors';
import type { GrantRun, RunOutcome, TenantCore } from '../../contracts/tenants';

/** Asks a tenant's loader again after `invalid_client` (see {@link ReaskingRunner}). */
export interface CredentialsReload<T extends TenantCore> {
  /**
   * The runner of the tenant's fresh credentials for the token requests of `options`, or undefined
   * when the loader gives nothing new (the same secret, another client id, a failure).
   */
  reload(options: T['options']): Promise<GrantRun<T['outcome']> | undefined>;
}

const isInvalidClient = (outcome: RunOutcome): boolean =>
  outcome.kind === 'failed' && outcome.error instanceof TokenEndpointError && outcome.error.error === 'invalid_client';

/**
 * The grant runner of one tenant's token (the core's, wrapped): after the token endpoint answers
 * `invalid_client`, the tenant's loader is asked once more (a rotated secret) and the renewal is run
 * again with what it returns, inside the same single flight, before the failure is returned (and
 * cached). Asked once per run of failures: a token obtained arms it again.
 */
export class ReaskingRunner<T extends TenantCore> implements GrantRun<T['outcome']> {
  /** The runner of the reloaded credentials, once there were some. */
  private replaced?: GrantRun<T['outcome']>;
  private reasked = false;

  constructor(
    private readonly runner: GrantRun<T['outcome']>,
    private readonly tenantOptions: T['options'],
    private readonly credentials: CredentialsReload<T>,
  ) {}

  async fetch(refreshToken: string | undefined, transport?: unknown): Promise<T['outcome']> {
    const outcome = await (this.replaced ?? this.runner).fetch(refreshToken, transport);
    if (outcome.kind === 'token') this.reasked = false;
    if (!isInvalidClient(outcome) || this.reasked) return outcome;
    this.reasked = true;
    const fresh = await this.credentials.reload(this.tenantOptions);
    if (fresh === undefined) return outcome;
    this.replaced = fresh;
    const retried = await fresh.fetch(refreshToken, transport);
    if (retried.kind === 'token') this.reasked = false;
    return retried;
  }
}
