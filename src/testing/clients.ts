import { Lockout } from './lockout';

/** One client of the embedded server besides its main one (see `AuthServerOptions.clients`). */
export interface ServerClient {
  /** Its client id; names its API routes (`/v2.01/{clientId}/…`) and the tokens issued to it. */
  clientId: string;
  /** Its client secret (HTTP Basic or `client_secret_post`). */
  clientSecret: string;
}

interface ClientState {
  secret: string;
  lockout: Lockout;
}

/**
 * The server's extra clients (many tenants), each with its own secret and its own lockout. The main
 * client (`clientId`/`clientSecret` options) keeps the server's own lockout; these are looked up by id.
 */
export class ClientRegistry {
  private readonly clients = new Map<string, ClientState>();

  constructor(
    private readonly mainId: string,
    private readonly lockoutAfter: number,
    private readonly lockoutSeconds: number,
  ) {}

  /** Adds (or replaces: a rotated secret, its lockout kept) a client; throws RangeError for an empty id or secret, or the main id. */
  add(client: ServerClient): void {
    const { clientId, clientSecret } = client ?? {};
    if (typeof clientId !== 'string' || clientId === '') throw new RangeError('clients[].clientId must not be empty');
    if (typeof clientSecret !== 'string' || clientSecret === '')
      throw new RangeError('clients[].clientSecret must not be empty');
    if (clientId === this.mainId) throw new RangeError(`clients[].clientId ${clientId} is the main clientId`);
    const known = this.clients.get(clientId);
    this.clients.set(clientId, {
      secret: clientSecret,
      lockout: known?.lockout ?? new Lockout(this.lockoutAfter, this.lockoutSeconds),
    });
  }

  /** Removes a client: its credentials are refused from now on. True when it was there. */
  remove(clientId: string): boolean {
    return this.clients.delete(clientId);
  }

  /** Whether `clientId` is an extra client. */
  has(clientId: string): boolean {
    return this.clients.has(clientId);
  }

  /** The secret of an extra client, if it is one. */
  secretOf(clientId: string): string | undefined {
    return this.clients.get(clientId)?.secret;
  }

  /** The lockout of an extra client, if it is one. */
  lockoutOf(clientId: string | undefined): Lockout | undefined {
    return clientId === undefined ? undefined : this.clients.get(clientId)?.lockout;
  }
}
