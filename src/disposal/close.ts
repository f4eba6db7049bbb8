import type { ResolvedOptions } from '../options/validate-options';

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
 * `close()`: detaches at once (everything `detach()` does), then revokes the unexpired token this
 * attachment alone holds, if asked. Never rejects: a failed revocation is
 * reported through `onRevocationFailed`.
 *
 * `ownStore`: whether `options.store` is the in-memory store the plugin created for this attachment
 * (no `store` option); a store passed in may be shared, so its token is never revoked.
 */
export async function closeAttachment(
  options: ResolvedOptions,
  cacheKey: string,
  ownStore: boolean,
  detach: () => void,
  closeOptions: CloseOptions | undefined,
): Promise<void> {
  detach();
  if (options.revocationUrl === undefined || !ownStore || closeOptions?.revoke === false) return;
  // The plugin's own memory store: what it holds was fetched by this attachment alone (detach() keeps it).
  const held = await options.store.get(cacheKey).catch(() => undefined);
  if (!held || (held.expiresAt !== undefined && held.expiresAt <= options.clock())) return;
  const { revokeToken } = await import('./revoke-token');
  await revokeToken(options, held.accessToken);
}
