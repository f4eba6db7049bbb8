import type { AxiosInstance } from 'axios';
import type { ResolvedOptions } from '../options/validate-options';
import type { StoredToken } from '../store/token-store';

/** Options of `OAuth2Handle.close()`. */
export interface CloseOptions {
  /**
   * Revoke the access token this process holds at `revocationUrl` (RFC 7009) after detaching.
   * Only a token no other process or attachment may share is revoked: never with a `store` option.
   * @default true when `revocationUrl` is set
   */
  revoke?: boolean;
}

/**
 * `close()`: detaches at once (everything `detach()` does), then revokes the unexpired tokens this
 * attachment alone holds (one per scope and resource in use), if asked. Never rejects: a failed
 * revocation is reported through `onRevocationFailed`.
 *
 * `ownStore`: whether `options.store` is the in-memory store the plugin created for this attachment
 * (no `store` option); a store passed in may be shared, so its tokens are never revoked.
 */
export async function closeAttachment(
  options: ResolvedOptions,
  heldTokens: () => StoredToken[],
  ownStore: boolean,
  detach: () => void,
  closeOptions: CloseOptions | undefined,
  /** The attached instance: its adapter, agents (a client certificate) and proxy carry the revocation. */
  instance: AxiosInstance,
): Promise<void> {
  detach();
  if (options.revocationUrl === undefined || !ownStore || closeOptions?.revoke === false) return;
  // The plugin's own memory store: what the entries hold was fetched by this attachment alone.
  const now = options.clock();
  const live = heldTokens().filter((token) => token.expiresAt === undefined || token.expiresAt > now);
  if (live.length === 0) return;
  const { revokeToken } = await import('./revoke-token');
  await Promise.all(live.map((token) => revokeToken(options, token.accessToken, instance)));
}
