import { TenantLoadError, UnknownTenantError } from '../../errors';
import { startDeadline } from '../../http/deadline';
import type { HeldTenant, TenantCore, TenantFields, TenantsContext } from '../../contracts/tenants';
import { raceSignal, type SignalLike } from '../../util/abort';
import type { ResolvedTenants } from './tenants-option';
import { checkCredentials } from './credentials';

/** What a directory works with: the core's (clock, deadline, lifecycle, checks) and how a tenant is made. */
export interface DirectorySettings<S, O> extends Pick<
  TenantsContext<TenantCore>,
  'clock' | 'timeoutMs' | 'lifecycle' | 'rules'
> {
  /** The tenant's options: the attachment's with the checked `fields` over them. */
  options(fields: TenantFields): O;
  /** What serves the tokens of a tenant's checked options. */
  make(options: O): S;
}

/** A tenant's place in the directory: loaded, loading, or failed (served until `failedUntil`). */
class Slot<S> {
  state?: S;
  loading?: Promise<S>;
  failure?: Error;
  failedUntil = 0;
  constructor(public usedAt: number) {}
}

/**
 * What a loader threw, reduced to its name and code: its message may quote what the loader was
 * reading (a secrets store's answer), so it is not copied.
 */
function plainCause(error: unknown): Error {
  const source = error instanceof Error ? error : undefined;
  const code = (source as { code?: unknown } | undefined)?.code;
  const copy = new Error(
    `tenants.load threw ${source?.name ?? typeof error}${typeof code === 'string' ? ` (${code})` : ''}`,
  );
  copy.name = source?.name ?? 'Error';
  if (typeof code === 'string') (copy as Error & { code: string }).code = code;
  return copy;
}

/**
 * The tenants of one attachment: each loaded once (concurrent requests share one call to the
 * loader), held up to `maxTenants` (least recently used dropped first) and `idleMs` of disuse. A
 * failed or unknown tenant is remembered for `retryMs`, so a bad tenant does not call the loader for
 * every request. A dropped tenant's flight still settles for its waiters.
 */
export class TenantDirectory<S extends HeldTenant, O> {
  /** By tenant, least recently used first (a use moves a tenant last). */
  private readonly slots = new Map<string, Slot<S>>();
  /** The slot used last: using it again costs no reordering. */
  private newest?: Slot<S>;
  private readonly sweeper: ReturnType<typeof setInterval>;
  /** Uses are timed from here: small integers, held in the slot itself (not a boxed number each). */
  private readonly origin: number;

  constructor(
    private readonly tenants: ResolvedTenants,
    private readonly settings: DirectorySettings<S, O>,
  ) {
    const { idleMs } = tenants;
    this.origin = settings.clock();
    this.sweeper = setInterval(() => this.sweep(), Math.max(1_000, Math.min(idleMs, 60_000)));
    this.sweeper.unref?.();
    settings.lifecycle.addEventListener('abort', () => clearInterval(this.sweeper));
  }

  /** The time since the directory was made (the plugin's clock), in ms. */
  private now(): number {
    return this.settings.clock() - this.origin;
  }

  /** How many tenants are held (loaded, loading or failed). */
  get size(): number {
    return this.slots.size;
  }

  /** The tenant's state when loaded, synchronously (the hot path); counts as a use. */
  loaded(tenant: string): S | undefined {
    const slot = this.slots.get(tenant);
    if (slot === undefined || slot.state === undefined) return undefined;
    if (slot !== this.newest) this.use(tenant, slot);
    return slot.state;
  }

  /**
   * The tenant's state: held, or loaded by the one call to the loader shared by every concurrent
   * caller. Rejects with `UnknownTenantError` or `TenantLoadError` (also served for `retryMs`), or,
   * for this caller only, when one of `signals` aborts.
   */
  load(tenant: string, signals: Array<SignalLike | undefined> = []): Promise<S> {
    let slot = this.slots.get(tenant);
    const now = this.now();
    if (slot?.state) {
      if (slot !== this.newest) this.use(tenant, slot);
      return Promise.resolve(slot.state);
    }
    if (slot && slot.loading === undefined && slot.failedUntil > now) {
      this.use(tenant, slot);
      return Promise.reject(slot.failure ?? new Error('tenant load failed'));
    }
    if (slot === undefined) {
      slot = new Slot<S>(now);
      this.slots.set(tenant, slot);
      this.newest = slot;
      this.bound(now);
    } else this.use(tenant, slot);
    slot.loading ??= this.startLoad(tenant, slot);
    return raceSignal(slot.loading, this.settings.lifecycle, ...signals);
  }

  /**
   * Asks the loader again (after `invalid_client`): the checked state of what it returns now, or
   * undefined when it fails. Not shared with `load()`: the renewal that asks is already single-flight.
   */
  async reask(tenant: string): Promise<O | undefined> {
    try {
      return this.check(tenant, await this.ask(tenant));
    } catch {
      return undefined;
    }
  }

  /**
   * Drops a tenant (a customer disconnects): its credentials and the tokens it holds, here and in the
   * store. Resolves once the store has been told. Its load in flight, if any, settles for its waiters
   * and is then forgotten.
   */
  async forget(tenant: string): Promise<void> {
    const slot = this.slots.get(tenant);
    if (slot === undefined) return;
    this.remove(tenant, slot);
    const state = slot.state ?? (await slot.loading?.catch(() => undefined));
    await state?.forget();
  }

  private startLoad(tenant: string, slot: Slot<S>): Promise<S> {
    const flight = this.ask(tenant)
      .then((credentials) => this.settings.make(this.check(tenant, credentials)))
      .then(
        (state) => {
          slot.state = state;
          slot.failure = undefined;
          slot.failedUntil = 0;
          return state;
        },
        (error: Error) => {
          slot.failure = error;
          slot.failedUntil = this.now() + this.tenants.retryMs;
          throw error;
        },
      )
      .finally(() => {
        slot.loading = undefined;
      });
    // A load nobody waits for any more (every caller aborted) must not be an unhandled rejection.
    flight.catch(() => undefined);
    return flight;
  }

  /** The tenant's options from the loader's result, checked (throws `TenantLoadError` for bad ones). */
  private check(tenant: string, credentials: unknown): O {
    return this.settings.options(checkCredentials(tenant, credentials, this.settings.rules));
  }

  /** One call to the loader, under the token deadline; its errors typed. */
  private async ask(tenant: string): Promise<unknown> {
    const { lifecycle, timeoutMs } = this.settings;
    const { tenants } = this;
    const deadline = startDeadline(timeoutMs, lifecycle.signal);
    let credentials: unknown;
    try {
      const pending = Promise.resolve().then(() => tenants.load(tenant, { signal: deadline.signal }));
      credentials = await raceSignal(pending, deadline.signal);
    } catch (error) {
      if (lifecycle.aborted) throw lifecycle.canceledError();
      if (deadline.expired)
        throw new TenantLoadError(tenant, 'timeout', `tenants.load("${tenant}") did not settle within ${timeoutMs} ms`);
      throw new TenantLoadError(tenant, 'threw', `tenants.load("${tenant}") failed`, { cause: plainCause(error) });
    } finally {
      deadline.clear();
    }
    if (credentials === undefined) throw new UnknownTenantError(tenant);
    return credentials;
  }

  /** Moves a used tenant last (most recently used). */
  private use(tenant: string, slot: Slot<S>): void {
    this.slots.delete(tenant);
    this.slots.set(tenant, slot);
    slot.usedAt = this.now();
    this.newest = slot;
  }

  /** Drops the least recently used tenants beyond `maxTenants`, then the idle ones. */
  private bound(now: number): void {
    const { maxTenants } = this.tenants;
    while (this.slots.size > maxTenants) {
      const [tenant, slot] = this.slots.entries().next().value as [string, Slot<S>];
      this.remove(tenant, slot);
    }
    this.sweep(now);
  }

  /** Drops the tenants unused for `idleMs` (the oldest first; the last used one stays). */
  private sweep(now = this.now()): void {
    const { idleMs } = this.tenants;
    for (const [tenant, slot] of this.slots) {
      if (slot === this.newest || slot.usedAt + idleMs > now) break;
      if (slot.loading === undefined) this.remove(tenant, slot);
    }
  }

  private remove(tenant: string, slot: Slot<S>): void {
    this.slots.delete(tenant);
    if (this.newest === slot) this.newest = undefined;
    slot.state?.retire();
  }
}
