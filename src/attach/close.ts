import type { AxiosInstance } from 'axios';
import type { AttachedExtension, CloseContext } from '../contracts/extension';
import type { ResolvedOptions } from '../options/validate-options';
import type { StoredToken } from '../store/token-store';
import { emit } from '../events/hooks';
import { authenticatedPost } from '../token/authenticated-post';
import { serverTransport } from '../http/server-transport';

/** Options of `OAuth2Handle.close()`. */
export interface CloseOptions {
  /**
   * With the `revokeOnClose()` extension: revoke the access tokens this process holds (RFC 7009)
   * after detaching. Only tokens no other process or attachment may share are revoked: never with a
   * `store` option.
   * @default true
   */
  revoke?: boolean;
}

/**
 * `close()`: detaches at once (everything `detach()` does), then calls each extension's `onClose`
 * with the unexpired tokens this attachment alone holds (none when `options.store` was passed in: it
 * may be shared) and the one path to the authorization server. Never rejects.
 *
 * `ownStore`: whether the store is the in-memory one the plugin created for this attachment.
 */
export async function closeAttachment(
  options: ResolvedOptions,
  extensions: readonly AttachedExtension[],
  heldTokens: () => StoredToken[],
  ownStore: boolean,
  detach: () => void,
  closeOptions: CloseOptions | undefined,
  /** The attached instance: its adapter, agents (a client certificate) and proxy carry the requests. */
  instance: AxiosInstance,
  /** The attachment's one client to the authorization server. */
  client?: AxiosInstance,
): Promise<void> {
  detach();
  const closers = extensions.filter((extension) => extension.onClose !== undefined);
  if (closers.length === 0) return;
  const now = options.clock();
  const tokens = ownStore ? heldTokens().filter((token) => token.expiresAt === undefined || token.expiresAt > now) : [];
  const context: CloseContext = {
    tokens,
    options: { ...closeOptions },
    endpoint: options.endpoint?.current,
    timeoutMs: serverTransport(instance, options).timeoutMs,
    authenticatedPost: (url, params, secrets) => authenticatedPost(options, instance, url, params, secrets, client),
    emit: (name, event) => emit(options.hooks, name, event),
  };
  await Promise.all(
    closers.map(async (extension) => {
      try {
        await extension.onClose?.(context);
      } catch {
        // An extension's failure must never make close() reject.
      }
    }),
  );
}
