import type { OAuth2Hooks } from '../events/hooks';
import type { ServerAnswer } from '../http/send';
import type { Secrets } from '../security/secrets';
import type { StoredToken } from '../store/token-store';
import type { ResolvedEndpoint } from './endpoint';

/**
 * Extensions are values passed at attach (`extensions: [revokeOnClose(), diagnosticsChannels()]`)
 * that observe the attachment's events and take part in its lifecycle. The core emits events and
 * calls lifecycle hooks through this file only; it never imports an extension's code.
 */

/** The name of an attachment event: the same events, with the same payloads, as the hooks (`OAuth2Hooks`). */
export type AttachmentEventName = keyof OAuth2Hooks;

/** The payload of event `K` (never holds a secret). */
export type AttachmentEvent<K extends AttachmentEventName> = Parameters<NonNullable<OAuth2Hooks[K]>>[0];

/** A probe on the hot path: the core reads `hasSubscribers` and, when true, calls `publish()`; nothing else. */
export interface Probe {
  readonly hasSubscribers: boolean;
  /** Reports one occurrence (the extension makes its own message). */
  publish(): void;
}

/** What an extension learns when it is attached: public facts of the attachment, nothing secret. */
export interface ExtensionAttachContext {
  /** The attachment's cache key (a hash; no secret). */
  readonly cacheKey: string;
  /** The configured grant type (`client_credentials`, `password`, `custom`). */
  readonly grant: string;
  /** The attachment's `allowInsecureHttp`: an extension that sends requests must keep to https without it. */
  readonly allowInsecureHttp: boolean;
  /** Whether the attachment's token endpoint is found by an endpoint source (`discover(issuer)`). */
  readonly endpointSource: boolean;
}

/** What `close()` hands each extension's `onClose`, after the attachment was detached. */
export interface CloseContext {
  /**
   * The unexpired tokens this attachment alone holds (one per scope and resource in use); empty
   * when it may share them (a `store` option: a store passed in is taken as shared).
   */
  readonly tokens: readonly StoredToken[];
  /** The options passed to `close()`. */
  readonly options: { readonly revoke?: boolean };
  /** The endpoints the endpoint source resolved, when it did (undefined with a `tokenUrl` string). */
  readonly endpoint?: ResolvedEndpoint;
  /** Deadline of one request to the authorization server, in ms (for messages). */
  readonly timeoutMs: number;
  /**
   * POSTs the form `params` to `url` on the authorization server, the client authenticated as for a
   * token request (the same parameters and headers, a fresh assertion), through the one path (`send`):
   * the same transport, deadline and size cap, never redirected. Everything it sent is added to
   * `secrets` (to scrub what the server answers). Never rejects.
   */
  authenticatedPost(url: string, params: Record<string, string>, secrets: Secrets): Promise<ServerAnswer>;
  /** Emits an attachment event (to the user's hook and to every extension listening). */
  emit<K extends AttachmentEventName>(name: K, event: AttachmentEvent<K>): void;
}

/** What an attached extension gives the core; every member optional. */
export interface AttachedExtension {
  /** Whether the extension wants event `name` now: asked before the core builds the payload. */
  listens?(name: AttachmentEventName): boolean;
  /** One event the extension said it listens to. A throw is ignored. */
  event?<K extends AttachmentEventName>(name: K, payload: AttachmentEvent<K>): void;
  /** Told when a request found a usable token cached (the hot path: check `hasSubscribers` only). */
  readonly cacheHit?: Probe;
  /** Told when a request found no usable token cached and waits for one. */
  readonly cacheMiss?: Probe;
  /** Runs around each token fetch from the endpoint (one per shared flight); must return what `fetch` returns. */
  traceFetch?<T extends { expiresAt?: number }>(background: boolean, fetch: () => Promise<T>): Promise<T>;
  /** Called by `close()` after the attachment was detached; `close()` waits for it. Must not reject. */
  onClose?(context: CloseContext): Promise<void>;
}

/** A value for the `extensions` option (see `revokeOnClose`, `diagnosticsChannels`). */
export interface Extension {
  /** Names the extension in messages; two extensions of one attachment may not share a name. */
  readonly name: string;
  /**
   * Attaches to one attachment: may refuse it (throw `OAuth2OptionsError` naming the option), else
   * returns what the core calls. Called once per attachment, after the options were checked.
   */
  attach(context: ExtensionAttachContext): AttachedExtension;
}
