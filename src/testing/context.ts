import { createCounters, type AuthCounters } from './counters';
import { FaultSource } from './faults';
import { Lockout } from './lockout';
import { IssuedTokenRegistry } from './issued-token-registry';
import type {
  ApiRequestRecord,
  AuthServerOptions,
  DiscoveryServerOptions,
  MtlsServerOptions,
  TokenRequestRecord,
  TokenExchangeServerOptions,
} from './types';
import { ClientAssertionCheck } from './client-assertion-check';
import { DPoPGate } from './dpop';
import { WorkloadAssertionCheck } from './workload-assertion-check';
import { ClientRegistry } from './clients';

const LOG_LIMIT = 1000;

/** Options with every default applied. */
export interface ResolvedServerOptions {
  clientId: string;
  clientSecret: string;
  lockoutRetryAfterSeconds?: number;
  basicEncoding: 'any' | 'strict' | 'raw';
  musement?: { application: string; username: string; password: string };
  mtls?: MtlsServerOptions;
  discovery?: DiscoveryServerOptions;
  tokenExchange?: TokenExchangeServerOptions;
  /** Public clients (`publicClients`): their token calls carry no credentials. */
  publicClients: readonly string[];
}

/** Keeps the last {@link LOG_LIMIT} entries. */
export class RingLog<T> {
  private entries: T[] = [];

  push(entry: T): void {
    this.entries.push(entry);
    if (this.entries.length > LOG_LIMIT) this.entries.shift();
  }

  list(): T[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}

/** `publicClients`, checked: non-empty ids. */
function publicClientIds(ids: readonly string[] | undefined): readonly string[] {
  if (ids === undefined) return [];
  const given: unknown = ids;
  if (!Array.isArray(given) || !given.every((id): id is string => typeof id === 'string' && id !== ''))
    throw new RangeError('publicClients must be an array of non-empty client ids');
  return Array.from<string>(given);
}

function nonNegative(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${name} must be a finite number >= 0`);
  return value;
}

/** Everything the route handlers share: options, state, counters and cancellable timers. */
export class ServerContext {
  readonly options: ResolvedServerOptions;
  readonly counters: AuthCounters = createCounters();
  readonly tokens = new IssuedTokenRegistry();
  readonly faults = new FaultSource();
  readonly lockout: Lockout;
  readonly tokenLog = new RingLog<TokenRequestRecord>();
  readonly apiLog = new RingLog<ApiRequestRecord>();
  readonly metadataLog = new RingLog<string>();
  /** `scheme://127.0.0.1:PORT`, set once the server listens. */
  origin = '';
  /** Checks client assertions, when the `clientAssertion` option enables them. */
  readonly assertions?: ClientAssertionCheck;
  /** DPoP proofs and nonces, when the `dpop` option asks for them. */
  readonly dpop?: DPoPGate;
  /** Checks workload tokens (client assertions, JWT bearer grants), when the `workloadIdentity` option is given. */
  readonly workload?: WorkloadAssertionCheck;
  /** Many clients: the extra clients (`clients` option, `addClient()`), each with its own secret and lockout. */
  readonly clients: ClientRegistry;
  private lifetime: number;
  private readonly timers = new Map<NodeJS.Timeout, (completed: boolean) => void>();

  constructor(options: AuthServerOptions) {
    const lockoutAfter = options.lockoutAfter ?? 5;
    if (!(Number.isInteger(lockoutAfter) && lockoutAfter >= 1)) {
      throw new RangeError('lockoutAfter must be an integer >= 1');
    }
    const clientId = options.clientId ?? 'test-client';
    if (clientId === '') throw new RangeError('clientId must not be empty');
    this.lifetime = nonNegative('tokenLifetimeSeconds', options.tokenLifetimeSeconds ?? 1200);
    this.lockout = new Lockout(lockoutAfter, nonNegative('lockoutSeconds', options.lockoutSeconds ?? 60));
    // Many clients: each extra client has its own secret and its own lockout (same thresholds).
    this.clients = new ClientRegistry(clientId, lockoutAfter, options.lockoutSeconds ?? 60);
    for (const client of options.clients ?? []) this.clients.add(client);
    this.options = {
      clientId,
      clientSecret: options.clientSecret ?? 'test-secret',
      basicEncoding: options.basicEncoding ?? 'any',
      publicClients: publicClientIds(options.publicClients),
    };
    if (options.lockoutRetryAfterSeconds !== undefined) {
      this.options.lockoutRetryAfterSeconds = nonNegative('lockoutRetryAfterSeconds', options.lockoutRetryAfterSeconds);
    }
    if (options.mtls !== undefined) this.options.mtls = options.mtls;
    if (options.discovery !== undefined) this.options.discovery = options.discovery;
    if (options.tokenExchange !== undefined) this.options.tokenExchange = { ...options.tokenExchange };
    if (options.clientAssertion !== undefined) {
      this.assertions = new ClientAssertionCheck(options.clientAssertion, clientId, this.options.clientSecret);
    }
    if (options.dpop !== undefined) this.dpop = new DPoPGate(options.dpop);
    if (options.workloadIdentity !== undefined) this.workload = new WorkloadAssertionCheck(options.workloadIdentity);
    if (options.musement !== undefined) {
      this.options.musement = {
        application: options.musement.application,
        username: options.musement.username ?? 'test-user',
        password: options.musement.password ?? 'test-password',
      };
    }
  }

  /** Lifetime, in seconds, of tokens issued from now on. */
  get tokenLifetime(): number {
    return this.lifetime;
  }

  set tokenLifetime(seconds: number) {
    this.lifetime = nonNegative('token lifetime', seconds);
  }

  /** Waits `ms`; resolves true when the time elapsed, false when cancelled by {@link cancelTimers}. */
  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(true);
      }, ms);
      this.timers.set(timer, resolve);
    });
  }

  /** Cancels every pending {@link sleep}. */
  cancelTimers(): void {
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve(false);
    }
    this.timers.clear();
  }
}
