/**
 * Holds Node's channel objects of the plugin's names for the life of the jest worker.
 *
 * The plugin holds them for the life of its module (`src/features/diagnostics/channels.ts`), but jest
 * loads the module afresh for every test file of a worker, while `node:diagnostics_channel` is one
 * for the whole worker: the previous file's objects can be collected while the next file runs, and
 * on Node 20 the finalizer of a collected channel deletes its name even when a newer object of that
 * name was made meanwhile, leaving a test's subscriber on an orphan. Held here on the worker's one
 * `node:diagnostics_channel` module object, they are never collected.
 */
import type * as DiagnosticsChannel from 'node:diagnostics_channel';
import { CHANNEL_NAMES, TOKEN_TRACE_CHANNEL } from '../../src/features/diagnostics/channels';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the worker's own module object, not an interop copy
const diagnostics = require('node:diagnostics_channel') as typeof DiagnosticsChannel & Record<symbol, unknown>;
const PINS = Symbol.for('axios-oauth2-bearer:test-channel-pins');
diagnostics[PINS] ??= [
  ...CHANNEL_NAMES.map((name) => diagnostics.channel(name)),
  typeof diagnostics.tracingChannel === 'function' ? diagnostics.tracingChannel(TOKEN_TRACE_CHANNEL) : undefined,
];
