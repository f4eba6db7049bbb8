export { diagnosticsChannels } from './diagnostics-channels';
export { CACHE_HIT_CHANNEL, CACHE_MISS_CHANNEL, CHANNEL_NAMES, TOKEN_TRACE_CHANNEL, hookChannelName } from './channels';
export type { CacheMessage, TokenTraceMessage } from './observer';
