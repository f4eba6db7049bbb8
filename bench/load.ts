/**
 * What `require('axios-oauth2-bearer')` costs a client-secret user on top of axios: fresh `node`
 * processes load the built CommonJS entry (`dist/index.js`, so `npm run build` first) after axios, and
 * time that `require` alone; others load axios alone (the reference). Each process is new, so nothing
 * is cached in memory (the OS file cache is warm after the first run, as for a server's restarts).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { median, quantile } from './measure';

const ROOT = path.join(__dirname, '..');
export const BUILT_ENTRY = path.join(ROOT, 'dist', 'index.js');

/** One process: requires axios, then (when `entry`) the plugin; prints both times in ms. */
const PROBE = `
const t0 = process.hrtime.bigint();
require('axios');
const t1 = process.hrtime.bigint();
const entry = process.argv[1];
if (entry) require(entry);
const t2 = process.hrtime.bigint();
process.stdout.write(JSON.stringify({ axios: Number(t1 - t0) / 1e6, plugin: Number(t2 - t1) / 1e6 }));
`;

function probe(entry: string | undefined): { axios: number; plugin: number } {
  const out = execFileSync(process.execPath, ['-e', PROBE, entry ?? ''], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as { axios: number; plugin: number };
}

export interface LoadCost {
  /** Median ms of `require('axios')` in a fresh process. */
  axiosMs: number;
  /** Median ms of `require('dist/index.js')` in a fresh process that loaded axios just before. */
  pluginMs: number;
  /** Interquartile range of `pluginMs` over the runs. */
  pluginIqr: [number, number];
  /** Bytes of the built entry. */
  entryBytes: number;
  runs: number;
}

/** `runs` processes with the plugin and `runs` without, alternating; medians. */
export function loadCost(runs: number): LoadCost {
  if (!fs.existsSync(BUILT_ENTRY)) throw new Error(`${BUILT_ENTRY} is missing: run \`npm run build\` first`);
  probe(BUILT_ENTRY); // the OS file cache warm for both
  const axiosAlone: number[] = [];
  const plugin: number[] = [];
  for (let i = 0; i < runs; i++) {
    axiosAlone.push(probe(undefined).axios);
    plugin.push(probe(BUILT_ENTRY).plugin);
  }
  return {
    axiosMs: median(axiosAlone),
    pluginMs: median(plugin),
    pluginIqr: [quantile(plugin, 0.25), quantile(plugin, 0.75)],
    entryBytes: fs.statSync(BUILT_ENTRY).size,
    runs,
  };
}
