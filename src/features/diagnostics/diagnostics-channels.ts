import type { Extension, ExtensionAttachContext } from '../../contracts/extension';
import type { GrantOptions } from '../../options/options';
import type { DiagnosticsModule } from './channels';
import { Observer } from './observer';

/**
 * Publishes the attachment's events to `node:diagnostics_channel` (for OpenTelemetry, APM agents,
 * logs): the token trace ({@link TOKEN_TRACE_CHANNEL}, one per fetch from the endpoint), cache hits
 * and misses, and every hook event on its channel (`axios-oauth2-bearer:token-acquired`, …; see
 * {@link CHANNEL_NAMES}), each message with the attachment's `cacheKey` and never a secret. Nothing
 * is built when a channel has no subscriber.
 *
 * @example
 * import { diagnosticsChannels } from 'axios-oauth2-bearer/diagnostics';
 * attachOAuth2(api, { tokenUrl, clientId, clientSecret, extensions: [diagnosticsChannels()] });
 */
export function diagnosticsChannels(): Extension {
  return diagnosticsChannelsOf(undefined);
}

/** {@link diagnosticsChannels} over another `node:diagnostics_channel`-like module (tests). @internal */
export function diagnosticsChannelsOf(dc: DiagnosticsModule | undefined): Extension {
  return Object.freeze({
    name: 'diagnosticsChannels',
    attach: (attachment: ExtensionAttachContext) =>
      new Observer(attachment.cacheKey, attachment.grant as GrantOptions['type'], dc),
  });
}
