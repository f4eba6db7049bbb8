/**
 * Secrets with characters that form-encoding changes, every form a leak could take, and every view
 * a caller may log an error or a hook payload through.
 */
import type { ServerResponse } from 'node:http';
import { HOOK_NAMES } from '../../src/events/hooks';
import { inspect } from 'node:util';
import dc from 'node:diagnostics_channel';
import { CHANNEL_NAMES, TOKEN_TRACE_CHANNEL } from '../../src/features/diagnostics';
import { TRACE_EVENTS } from '../../src/features/diagnostics/channels';
import { type OAuth2Hooks } from '../../src';
import { basicAuthorization } from '../../src/token/token-request';
import { formEncode } from '../../src/util/form-encode';
import { sendJson, type TokenRequest } from './loopback';

export const CLIENT_ID = 'client+id/9';
export const SECRET = 's3cr+t/==x';
export const PASSWORD = 'p@ss w0rd&=/+';
export const USERNAME = 'jane';

const b64 = (encoding: 'rfc6749' | 'raw') => basicAuthorization(CLIENT_ID, SECRET, encoding).slice('Basic '.length);

/** Every form of the credentials that must never show: as is, form-encoded, percent-encoded, Basic in both encodings. */
export const CREDENTIAL_FORMS: readonly string[] = [
  SECRET,
  formEncode(SECRET),
  encodeURIComponent(SECRET),
  PASSWORD,
  formEncode(PASSWORD),
  encodeURIComponent(PASSWORD),
  b64('rfc6749'),
  b64('raw'),
];

/** A token's forms: as is and form-encoded (a refresh token is sent in a form body). */
export function tokenForms(token: string): string[] {
  return [token, formEncode(token)];
}

/** JSON.stringify, with a circular structure (itself no leak) reported as text. */
export function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (error) {
    return `<not serialisable: ${(error as Error).message.split('\n')[0]}>`;
  }
}

/**
 * Every view of `value` a caller may log: message, stack, JSON, inspect (depth Infinity), the
 * `cause` chain and, for axios errors, `config`, `response`, and the plugin's hidden `body`.
 */
export function viewsOf(value: unknown, label = 'value'): Record<string, string> {
  const views: Record<string, string> = {
    [`${label} json`]: json(value),
    [`${label} inspect`]: inspect(value, { depth: Infinity }),
  };
  if (value instanceof Error) {
    views[`${label}.message`] = value.message;
    views[`${label}.stack`] = value.stack ?? '';
    const e = value as Error & { config?: unknown; response?: unknown; body?: unknown; cause?: unknown };
    for (const key of ['config', 'response', 'body'] as const) {
      if (e[key] !== undefined) {
        views[`${label}.${key} json`] = json(e[key]);
        views[`${label}.${key} inspect`] = inspect(e[key], { depth: Infinity });
      }
    }
    if (e.cause !== undefined) Object.assign(views, viewsOf(e.cause, `${label}.cause`));
  }
  return views;
}

/** Throws naming the view and the secret when any of `secrets` shows in any view of `value`. */
export function expectNoSecret(value: unknown, secrets: readonly string[], label?: string): void {
  for (const [view, text] of Object.entries(viewsOf(value, label)))
    for (const secret of secrets)
      if (text.includes(secret))
        throw new Error(`secret ${JSON.stringify(secret)} found in ${view}: ${text.slice(0, 600)}`);
}

/** What a hostile token endpoint echoes: the Authorization header, the raw body and its decoded values. */
export function echoOf(call: TokenRequest): string {
  const decoded = [...new URLSearchParams(call.body).values()].join(' ');
  return `${call.authorization} ${call.body} ${decoded}`;
}

/** Answers a token request with an RFC 6749 §5.2 body echoing the credentials in every field. */
export function echoError(call: TokenRequest, res: ServerResponse, status: number, code = 'invalid_client'): void {
  const echo = echoOf(call);
  sendJson(res, status, {
    error: `${code} ${echo}`,
    error_description: `bad credentials: ${echo}`,
    error_uri: `https://auth.example/errors?${call.body}`,
    echo: { authorization: call.authorization, body: call.body, list: [echo] },
    [echo]: 'a key',
  });
}

/** Every hook the plugin has (the list `tsc` ties to OAuth2Hooks), each recording `[name, payload]` into `events`. */
export function recordingHooks(events: Array<[string, unknown]>, throwing = false): OAuth2Hooks {
  return Object.fromEntries(
    HOOK_NAMES.map((name) => [
      name,
      (event: unknown) => {
        events.push([name, event]);
        if (throwing) throw new Error(`hook ${name} is broken`);
      },
    ]),
  );
}

/**
 * Subscribes to every `diagnostics_channel` the plugin publishes to (the token trace's five included),
 * recording `[\`channel <name>\`, message]` into `events`. Returns the function that unsubscribes.
 */
export function recordingChannels(events: Array<[string, unknown]>): () => void {
  const names = [...CHANNEL_NAMES, ...TRACE_EVENTS.map((event) => `tracing:${TOKEN_TRACE_CHANNEL}:${event}`)];
  const listeners = names.map((name) => {
    const listener = (message: unknown) => void events.push([`channel ${name}`, message]);
    dc.subscribe(name, listener);
    return () => dc.unsubscribe(name, listener);
  });
  return () => listeners.forEach((unsubscribe) => unsubscribe());
}
