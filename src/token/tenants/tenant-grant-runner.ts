import { TokenEndpointError } from '../../errors';
import type { RequestTransport } from '../../http/transport';
import type { ResolvedOptions } from '../../options/validate-options';
import type { Lifecycle } from '../../util/lifecycle';
import type { EndpointExchange } from '../endpoint-exchange';
import { GrantRunner, type GrantOutcome } from '../grant-runner';

/** Asks a tenant's loader again after `invalid_client` (see {@link TenantGrantRunner}). */
export interface CredentialsReload {
  /**
   * The runner of the tenant's fresh credentials for the token requests of `options`, or undefined
   * when the loader gives nothing new (the same secret, another client id, a failure).
   */
  reload(options: ResolvedOptions): Promise<GrantRunner | undefined>;
}

const isInvalidClient = (outcome: GrantOutcome): boolean =>
  outcome.kind === 'failed' && outcome.error instanceof TokenEndpointError && outcome.error.error === 'invalid_client';

/**
 * The grant runner of one tenant's token: after the token endpoint answers `invalid_client`, the
 * tenant's loader is asked once more (a rotated secret) and the renewal is run again with what it
 * returns, inside the same single flight, before the failure is returned (and cached). Asked once per
 * run of failures: a token obtained arms it again.
 */
export class TenantGrantRunner extends GrantRunner {
  /** The runner of the reloaded credentials, once there were some. */
  private replaced?: GrantRunner;
  private reasked = false;

  constructor(
    exchange: EndpointExchange,
    private readonly tenantOptions: ResolvedOptions,
    lifecycle: Lifecycle,
    private readonly credentials: CredentialsReload,
  ) {
    super(exchange, tenantOptions, lifecycle);
  }

  override async fetch(refreshToken: string | undefined, transport?: RequestTransport): Promise<GrantOutcome> {
    const outcome = this.replaced
      ? await this.replaced.fetch(refreshToken, transport)
      : await super.fetch(refreshToken, transport);
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
