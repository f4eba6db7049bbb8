import { TokenEndpointError } from '../../errors';
import type { GrantRun, RunOutcome, TenantCore } from '../../contracts/tenants';

/** Asks a tenant's loader again after `invalid_client` (see {@link fetchReasking}). */
export interface CredentialsReload<T extends TenantCore> {
  /**
   * The runner of the tenant's fresh credentials for the token requests of `options`, or undefined
   * when the loader gives nothing new (the same secret, another client id, a failure).
   */
  reload(options: T['options']): Promise<GrantRun<T['outcome']> | undefined>;
}

/** A grant runner that asks the loader again: its state (see {@link fetchReasking}). */
export interface Reasking<T extends TenantCore> {
  /** The runner in use: the core's, then the one of the reloaded credentials, once there were some. */
  runner: GrantRun<T['outcome']>;
  /** Whether the loader was asked in this run of failures. */
  reasked: boolean;
  /** The options of its token requests. */
  readonly options: T['options'];
  readonly credentials: CredentialsReload<T>;
}

const isInvalidClient = (outcome: RunOutcome): boolean =>
  outcome.kind === 'failed' && outcome.error instanceof TokenEndpointError && outcome.error.error === 'invalid_client';

/**
 * One renewal of a tenant's token: after the token endpoint answers `invalid_client`, the tenant's
 * loader is asked once more (a rotated secret) and the renewal is run again with what it returns,
 * inside the same single flight, before the failure is returned (and cached). Asked once per run of
 * failures: a token obtained arms it again.
 */
export async function fetchReasking<T extends TenantCore>(
  state: Reasking<T>,
  refreshToken: string | undefined,
  transport: unknown,
): Promise<T['outcome']> {
  const outcome = await state.runner.fetch(refreshToken, transport);
  if (outcome.kind === 'token') state.reasked = false;
  if (!isInvalidClient(outcome) || state.reasked) return outcome;
  state.reasked = true;
  const fresh = await state.credentials.reload(state.options);
  if (fresh === undefined) return outcome;
  state.runner = fresh;
  const retried = await fresh.fetch(refreshToken, transport);
  if (retried.kind === 'token') state.reasked = false;
  return retried;
}

/**
 * The grant runner of a tenant's token for a selection (a scope, a resource, a subject): the core's,
 * asking the loader again after `invalid_client` ({@link fetchReasking}). The tenant's own token's
 * runner is its `TenantState` (no object more per tenant).
 */
export class ReaskingRunner<T extends TenantCore> implements GrantRun<T['outcome']>, Reasking<T> {
  reasked = false;

  constructor(
    public runner: GrantRun<T['outcome']>,
    readonly options: T['options'],
    readonly credentials: CredentialsReload<T>,
  ) {}

  fetch(refreshToken: string | undefined, transport?: unknown): Promise<T['outcome']> {
    return fetchReasking(this, refreshToken, transport);
  }
}
