/**
 * Hot-path cost of the diagnostics channels: the plugin (with `diagnosticsChannels()`) with a cached token and nobody subscribed,
 * vs the same with a subscriber on every channel the plugin publishes to (the token trace included),
 * both against a static header in the same interleaved rounds.
 */
import dc from 'node:diagnostics_channel';
import { CHANNEL_NAMES, diagnosticsChannels, TOKEN_TRACE_CHANNEL } from '../src/features/diagnostics';
import { TRACE_EVENTS } from '../src/features/diagnostics/channels';
import { instantAdapter, staticHeader, withPlugin } from './hot-path';
import { compare } from './measure';

let pathCounter = 0;
const nextPath = () => `/users/${(pathCounter = (pathCounter + 1) % 1000)}`;

/** Subscribes a counting listener to every channel; returns the function that unsubscribes. */
function subscribeEverywhere(counter: { messages: number }): () => void {
  const listener = () => void (counter.messages += 1);
  const names = [...CHANNEL_NAMES, ...TRACE_EVENTS.map((event) => `tracing:${TOKEN_TRACE_CHANNEL}:${event}`)];
  for (const name of names) dc.subscribe(name, listener);
  return () => names.forEach((name) => dc.unsubscribe(name, listener));
}

export async function channelCost(count: number, rounds: number) {
  const base = 'https://api.bench.local/v2.01/bench';
  const floor = staticHeader(base, instantAdapter);
  const plugin = await withPlugin(base, instantAdapter, undefined, { extensions: [diagnosticsChannels()] });
  const counter = { messages: 0 };
  // Channels are process-wide: the subscribers are on only while the subscribed variant runs (a
  // round runs one variant `count` times in a row, so the switch costs once per round).
  let unsubscribe: (() => void) | undefined;
  const quiet = () => {
    unsubscribe?.();
    unsubscribe = undefined;
  };
  const result = await compare(
    {
      static: () => {
        quiet();
        return floor.get(nextPath());
      },
      'no subscriber': () => {
        quiet();
        return plugin.get(nextPath());
      },
      'every channel subscribed': () => {
        unsubscribe ??= subscribeEverywhere(counter);
        return plugin.get(nextPath());
      },
    },
    { count, rounds },
  );
  quiet();
  return { ...result, messages: counter.messages };
}
