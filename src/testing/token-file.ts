import { generateKeyPairSync, createPublicKey, randomUUID } from 'node:crypto';
import type { Jwk } from './jwk';
import { renameSync, utimesSync, writeFileSync } from 'node:fs';
import { privateKeyOf, signJwt } from './workload-jws';

/** Options of {@link startTokenFile}. */
export interface TokenFileOptions {
  /** Where the token is written (atomically: a temporary file renamed over it, like the kubelet's swap). */
  path: string;
  /** The `aud` of the tokens (a string, or several). */
  audience: string | readonly string[];
  /** The `iss`. @default 'https://kubernetes.default.svc.cluster.local' */
  issuer?: string;
  /** The `sub`. @default 'system:serviceaccount:default:workload' */
  subject?: string;
  /**
   * The signing key: a private `KeyObject`, PEM or JWK (RSA, EC P-256/384/521, Ed25519).
   * @default a new P-256 key (its public half in {@link TokenFile.jwks})
   */
  privateKey?: string | { readonly type: string } | Record<string, unknown>;
  /** The `kid` header. @default 'workload-key' */
  kid?: string;
  /** `exp - iat` of each token, in seconds. @default 600 */
  lifetimeSeconds?: number;
  /**
   * Writes a fresh token every this many seconds (a timer: `setInterval`, `unref`'d, so jest's fake
   * timers drive it). @default none (only at start and on {@link TokenFile.rotate})
   */
  rotateEverySeconds?: number;
  /** The clock of `iat`/`exp` and of the file's mtime, in epoch ms. @default Date.now */
  clock?: () => number;
}

/** A token file kept fresh, see {@link startTokenFile}. */
export interface TokenFile {
  readonly path: string;
  /** The issuer's public key set, for `startAuthServer({ workloadIdentity: { issuer, jwks } })` or any server. */
  readonly jwks: { readonly keys: readonly Jwk[] };
  readonly issuer: string;
  /** The token in the file now. */
  readonly current: string;
  /** How many tokens were written (the first one included). */
  readonly writes: number;
  /** Signs a fresh token and writes it now; returns it. */
  rotate(): string;
  /** Stops the timer (the file stays). */
  stop(): void;
}

/**
 * Writes a platform-style workload token file and keeps it fresh, for tests and demos: a JWT
 * (`iss`, `sub`, `aud`, `iat`, `nbf`, `exp`, `jti`) signed with `privateKey`, like a Kubernetes
 * projected service-account token (`/var/run/secrets/tokens/…`), rewritten every
 * `rotateEverySeconds` and on demand. Each write is atomic (a temporary file renamed over the path)
 * and sets the file's mtime from `clock`. Point `clientAssertionFile(path)` or
 * `jwtBearer(assertionFile(path))` at it, and the server at `jwks`.
 *
 * @example
 * ```ts
 * const tokens = startTokenFile({ path: '/tmp/token', audience: server.tokenUrl, rotateEverySeconds: 480 });
 * const server = await startAuthServer({ workloadIdentity: { issuer: tokens.issuer, jwks: tokens.jwks } });
 * // … tokens.stop(); await server.close();
 * ```
 */
export function startTokenFile(options: TokenFileOptions): TokenFile {
  if (typeof options.path !== 'string' || options.path === '') throw new RangeError('path must be a non-empty string');
  const lifetime = options.lifetimeSeconds ?? 600;
  if (!(Number.isFinite(lifetime) && lifetime > 0)) throw new RangeError('lifetimeSeconds must be a number > 0');
  const every = options.rotateEverySeconds;
  if (every !== undefined && !(Number.isFinite(every) && every > 0))
    throw new RangeError('rotateEverySeconds must be a number > 0');
  const clock = options.clock ?? Date.now;
  const key =
    options.privateKey === undefined
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
      : privateKeyOf(options.privateKey);
  const kid = options.kid ?? 'workload-key';
  const issuer = options.issuer ?? 'https://kubernetes.default.svc.cluster.local';
  const jwk = { ...createPublicKey(key).export({ format: 'jwk' }), kid, use: 'sig' };
  let current = '';
  let writes = 0;
  const rotate = (): string => {
    const now = clock();
    const iat = Math.floor(now / 1000);
    current = signJwt(
      key,
      {
        iss: issuer,
        sub: options.subject ?? 'system:serviceaccount:default:workload',
        aud: options.audience,
        iat,
        nbf: iat,
        exp: iat + lifetime,
        jti: randomUUID(),
      },
      kid,
    );
    const temporary = `${options.path}.${process.pid}.tmp`;
    writeFileSync(temporary, current);
    utimesSync(temporary, now / 1000, now / 1000);
    renameSync(temporary, options.path);
    writes += 1;
    return current;
  };
  rotate();
  const timer = every === undefined ? undefined : setInterval(rotate, every * 1000);
  timer?.unref();
  return {
    path: options.path,
    jwks: { keys: [jwk] },
    issuer,
    get current() {
      return current;
    },
    get writes() {
      return writes;
    },
    rotate,
    stop: () => clearInterval(timer),
  };
}
