import { emit, HOOK_NAMES, type OAuth2Hooks } from './hooks';
import type { AttachedExtension, AttachmentEvent, AttachmentEventName, Probe } from '../contracts/extension';

/**
 * The attachment's event stream: what the core emits (the hooks' events, cache hits and misses, token
 * fetches) delivered to the user's hooks and to every attached extension. Made once at attach time.
 */
export interface AttachmentEvents {
  /** The hooks the core calls (through `emit`): the user's, and each extension that listens. */
  readonly hooks: OAuth2Hooks;
  readonly cacheHit: Probe;
  readonly cacheMiss: Probe;
  /** Runs one token fetch inside every extension's `traceFetch` (the first given outermost). */
  traceFetch<T extends { expiresAt?: number }>(background: boolean, fetch: () => Promise<T>): Promise<T>;
}

/** A probe nobody listens to. */
const SILENT: Probe = Object.freeze({ hasSubscribers: false, publish: () => undefined });

/** One probe over several: subscribed when any is, publishing to those that are. */
function combined(probes: Probe[]): Probe {
  if (probes.length === 0) return SILENT;
  if (probes.length === 1) return probes[0];
  return {
    get hasSubscribers() {
      return probes.some((probe) => probe.hasSubscribers);
    },
    publish() {
      for (const probe of probes) if (probe.hasSubscribers) probe.publish();
    },
  };
}

/** An extension's event handler, called as `emit` calls a hook: whatever it throws is ignored. */
function deliver(extension: AttachedExtension, name: AttachmentEventName, event: object): void {
  try {
    extension.event?.(name, event as AttachmentEvent<typeof name>);
  } catch {
    // An extension must never break a request.
  }
}

/**
 * The hooks the core calls: the user's as given when no extension listens to events (nothing
 * wrapped); else, for each hook, a getter answering a function when the user set the hook or an
 * extension listens to it now (so `if (hooks.onX)` guards stay exact), which calls the user's hook
 * (errors swallowed, `this` the user's object) and every extension listening.
 */
function listeningHooks(user: OAuth2Hooks, listeners: AttachedExtension[]): OAuth2Hooks {
  if (listeners.length === 0) return user;
  const hooks: OAuth2Hooks = {};
  for (const name of HOOK_NAMES) {
    const forward = (event: object): void => {
      emit(user, name, event as never);
      for (const listener of listeners) if (listener.listens?.(name) ?? true) deliver(listener, name, event);
    };
    Object.defineProperty(hooks, name, {
      enumerable: true,
      get: () => (user[name] || listeners.some((listener) => listener.listens?.(name) ?? true) ? forward : undefined),
    });
  }
  return hooks;
}

/** The event stream of an attachment with the user's `hooks` and its attached extensions. */
export function attachmentEvents(hooks: OAuth2Hooks, extensions: readonly AttachedExtension[]): AttachmentEvents {
  const tracers = extensions.filter((extension) => extension.traceFetch !== undefined);
  return {
    hooks: listeningHooks(
      hooks,
      extensions.filter((extension) => extension.event !== undefined),
    ),
    cacheHit: combined(extensions.flatMap((extension) => (extension.cacheHit ? [extension.cacheHit] : []))),
    cacheMiss: combined(extensions.flatMap((extension) => (extension.cacheMiss ? [extension.cacheMiss] : []))),
    traceFetch: (background, fetch) =>
      tracers.reduceRight<typeof fetch>(
        (inner, tracer) => () => (tracer.traceFetch as NonNullable<AttachedExtension['traceFetch']>)(background, inner),
        fetch,
      )(),
  };
}

/** The probes of `events` (silent ones without: an interceptor made on its own, in tests). */
export function cacheProbes(events: AttachmentEvents | undefined): { hit: Probe; miss: Probe } {
  return events ? { hit: events.cacheHit, miss: events.cacheMiss } : { hit: SILENT, miss: SILENT };
}

/** One token fetch inside the extensions' traces, or `fetch()` alone without events. */
export function traceTokenFetch<T extends { expiresAt?: number }>(
  events: AttachmentEvents | undefined,
  background: boolean,
  fetch: () => Promise<T>,
): Promise<T> {
  return events ? events.traceFetch(background, fetch) : fetch();
}
