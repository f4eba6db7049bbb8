import { randomBytes } from 'node:crypto';
import type { IssuedToken } from './types';

interface MutableToken {
  token: string;
  kind: IssuedToken['kind'];
  grantType: string;
  scope?: string;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  refreshToken?: string;
  boundTo?: string;
  clientId?: string;
  subject?: string;
  actor?: string;
  audience?: string;
}

/** What {@link IssuedTokenRegistry.issue} needs to mint an access token. */
export interface IssueRequest {
  kind: IssuedToken['kind'];
  grantType: string;
  lifetimeSeconds: number;
  scope?: string;
  withRefreshToken?: boolean;
  /** `x5t#S256` of the client certificate to bind the token to (mutual TLS). */
  boundTo?: string;
  /** The client the token is issued to (many clients: the API refuses it on another client's routes). */
  clientId?: string;
  /** Token exchange: the subject the token is issued for, its actor and audience. */
  subject?: string;
  actor?: string;
  audience?: string;
}

/** Random opaque token: 32 lowercase hex characters. */
export function opaqueToken(): string {
  return randomBytes(16).toString('hex');
}

/** Server-side record of issued access tokens and live refresh tokens; expiry by `Date.now()`. */
export class IssuedTokenRegistry {
  private readonly tokens = new Map<string, MutableToken>();
  private readonly refreshTokens = new Set<string>();
  /** Token exchange: subject tokens issued by `issueSubjectToken`, with their subject and expiry. */
  private readonly subjectTokens = new Map<string, { subject: string; expiresAt: number }>();

  /** Mints a new access token (and a refresh token if asked). */
  issue(request: IssueRequest): IssuedToken {
    const issuedAt = Date.now();
    const record: MutableToken = {
      token: opaqueToken(),
      kind: request.kind,
      grantType: request.grantType,
      issuedAt,
      expiresAt: issuedAt + request.lifetimeSeconds * 1000,
      revoked: false,
    };
    if (request.scope !== undefined) record.scope = request.scope;
    if (request.boundTo !== undefined) record.boundTo = request.boundTo;
    if (request.clientId !== undefined) record.clientId = request.clientId;
    if (request.subject !== undefined) record.subject = request.subject;
    if (request.actor !== undefined) record.actor = request.actor;
    if (request.audience !== undefined) record.audience = request.audience;
    if (request.withRefreshToken) {
      record.refreshToken = opaqueToken();
      this.refreshTokens.add(record.refreshToken);
    }
    this.tokens.set(record.token, record);
    return { ...record };
  }

  /**
   * Whether `token` was issued for `kind`, is not revoked and has not expired yet, and, when bound to
   * a certificate, came on a connection presenting it (`presented`: that connection's `x5t#S256`).
   */
  isValid(token: string | undefined, kind: IssuedToken['kind'], presented?: string): boolean {
    if (token === undefined) return false;
    const record = this.tokens.get(token);
    if (record?.boundTo !== undefined && record.boundTo !== presented) return false;
    return record !== undefined && record.kind === kind && !record.revoked && Date.now() < record.expiresAt;
  }

  /** A snapshot of one issued access token, if it was issued here. */
  get(token: string): IssuedToken | undefined {
    const record = this.tokens.get(token);
    return record === undefined ? undefined : Object.freeze({ ...record });
  }

  /** Token exchange: records a subject token (a user's token) naming `subject`, valid until `expiresAt`. */
  addSubjectToken(token: string, subject: string, expiresAt: number): void {
    this.subjectTokens.set(token, { subject, expiresAt });
  }

  /** The subject a live subject token names; undefined when unknown or expired. */
  subjectTokenOf(token: string): string | undefined {
    const record = this.subjectTokens.get(token);
    return record !== undefined && Date.now() < record.expiresAt ? record.subject : undefined;
  }

  /** The subject an access token was issued for by token exchange; undefined for any other token. */
  subjectOf(token: string | undefined): string | undefined {
    return token === undefined ? undefined : this.tokens.get(token)?.subject;
  }

  /** Consumes a refresh token: true (and it becomes invalid) if it was live. */
  consumeRefreshToken(refreshToken: string): boolean {
    return this.refreshTokens.delete(refreshToken);
  }

  /** Revokes one access token; true when it was issued here and still live. */
  revoke(token: string): boolean {
    const record = this.tokens.get(token);
    if (record === undefined || record.revoked || Date.now() >= record.expiresAt) return false;
    record.revoked = true;
    return true;
  }

  /** Revokes every access token, and every refresh token if asked. */
  revokeAll(refreshTokens: boolean): void {
    for (const record of this.tokens.values()) record.revoked = true;
    if (refreshTokens) this.refreshTokens.clear();
  }

  /** Snapshots of every issued token, oldest first. */
  list(): IssuedToken[] {
    return Array.from(this.tokens.values(), (record) => Object.freeze({ ...record }));
  }
}
