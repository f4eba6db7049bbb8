/**
 * Starts panva's oidc-provider (a certified OpenID Provider, ESM only) in a child process for the
 * interoperability tests: a real authorization server with its own client authentication, DPoP,
 * resource indicators and mutual TLS, configured per test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent } from 'node:https';
import path from 'node:path';
import axios from 'axios';

/** A client registration, as oidc-provider takes it (RFC 7591 metadata names). */
export type ClientMetadata = Record<string, unknown> & { client_id: string };

/** What the test server serves; everything is optional. */
export interface ProviderConfig {
  /** A path after the origin in the issuer (e.g. `/tenant-a`); the provider is mounted there. */
  issuerPath?: string;
  /** Registered clients; `grant_types` defaults to client credentials, `redirect_uris` and `response_types` to none. */
  clients?: ClientMetadata[];
  /** `features` merged over the defaults (client credentials, introspection and revocation on). */
  features?: Record<string, unknown>;
  /** Allowed client authentication methods (default: all of them). */
  clientAuthMethods?: string[];
  scopes?: string[];
  /** Lifetime of client-credentials access tokens, in seconds. @default 600 */
  clientCredentialsTTL?: number;
  ttl?: Record<string, number>;
  /** DPoP on; `requireNonce`: every DPoP proof must carry a server nonce. */
  dpop?: { requireNonce?: boolean; nonceSecretHex?: string };
  /** Resource indicators on (RFC 8707): the resource servers the provider knows, by indicator. */
  resourceServers?: Record<
    string,
    { scope: string; audience?: string; accessTokenTTL?: number; accessTokenFormat?: 'jwt' | 'opaque' }
  >;
  defaultResource?: string;
  /**
   * Mutual TLS (RFC 8705): needs `tls` with `requestCert`. `aliases`: the token endpoint is also served
   * at `{origin}/mtls{issuerPath}/token`, published as `mtls_endpoint_aliases.token_endpoint`; token
   * requests that came through it are seen with `mtlsAlias: true`.
   */
  mtls?: { certificateBoundAccessTokens?: boolean; aliases?: boolean };
  /** Also serve the metadata at the RFC 8414 location (`/.well-known/oauth-authorization-server{issuerPath}`). */
  rfc8414?: boolean;
  /** Serve https with this key and certificate; `requestCert` asks the client for a certificate. */
  tls?: { key: string; cert: string; ca?: string[]; requestCert?: boolean };
  /** Any other oidc-provider configuration (JSON values only). */
  providerOptions?: Record<string, unknown>;
}

/** One token request the provider saw (no secret: the status and how the client authenticated). */
export interface SeenTokenRequest {
  status: number;
  dpop: boolean;
  basic: boolean;
  /** Present (true) when the request came through the mTLS alias (see `ProviderConfig.mtls.aliases`). */
  mtlsAlias?: true;
}

export interface RunningProvider {
  issuer: string;
  port: number;
  /** `${issuer}/token`. */
  tokenUrl: string;
  /** The token requests seen so far, in order. */
  tokenRequests(): Promise<SeenTokenRequest[]>;
  /** Every request URL (path and query) seen so far, in order, the harness's own endpoints aside. */
  requests(): Promise<string[]>;
  /** Forgets the token requests seen. */
  reset(): Promise<void>;
  /** What the provider wrote to stderr so far (its warnings, and errors when a test fails). */
  stderr(): string;
  stop(): Promise<void>;
}

const SCRIPT = path.join(__dirname, 'provider-process.mjs');

/** Starts a provider; resolves once it listens. Always `stop()` it (e.g. in `afterAll`). */
export function startProvider(config: ProviderConfig = {}): Promise<RunningProvider> {
  const child: ChildProcess = spawn(process.execPath, [SCRIPT], {
    env: { ...process.env, OIDC_HARNESS_CONFIG: JSON.stringify(config), NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const fail = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`oidc-provider did not start: ${why}\n${errors}`));
    };
    child.once('exit', (code) => fail(`exited with ${code}`));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n')[0];
      if (!out.includes('\n')) return;
      child.removeAllListeners('exit');
      const { issuer, port } = JSON.parse(line) as { issuer: string; port: number };
      const scheme = config.tls ? 'https' : 'http';
      const admin = axios.create({
        baseURL: `${scheme}://127.0.0.1:${port}/__harness`,
        ...(config.tls ? { httpsAgent: new Agent({ rejectUnauthorized: false }) } : {}),
      });
      resolve({
        issuer,
        port,
        tokenUrl: `${issuer}/token`,
        tokenRequests: async () =>
          (await admin.get<{ tokenRequests: SeenTokenRequest[] }>('/stats')).data.tokenRequests,
        requests: async () => (await admin.get<{ requests: string[] }>('/stats')).data.requests,
        reset: async () => {
          await admin.post('/reset');
        },
        stderr: () => errors,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
