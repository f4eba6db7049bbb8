import type { StoredToken } from '../store/token-store';

/** Where a token stands in its life. */
export type Freshness =
  /** Use it. */
  | 'fresh'
  /** Use it, and renew it in the background (soft window). */
  | 'renew-soon'
  /** Do not use it: wait for a new one (hard window, or expired). */
  | 'expired';

/** Longest soft window: Azure's token cycler uses 2 minutes. */
export const MAX_SOFT_WINDOW_MS = 120_000;
/** Share of the lifetime that the soft window covers. */
export const SOFT_WINDOW_RATIO = 0.1;

/**
 * Shortest time a token is used for, whatever its `expires_in`: a server answering `expires_in: 0`
 * (or a lifetime below a second) costs at most one token call per second, not one per request.
 * Such a token may then be rejected with a 401, which the response side handles (one refresh, one replay).
 */
export const MIN_TOKEN_USE_MS = 1000;

/** The windows of one token, in epoch ms. */
export interface TokenWindows {
  /** From here on callers wait for a new token. */
  hardStart: number;
  /** From here on one background refresh starts while callers keep this token. */
  softStart: number;
}

/**
 * Computes the windows. The skew is capped at half the lifetime, so a token living less than the
 * skew is still used for half its life instead of causing a refresh on every request, and every
 * token is used for at least {@link MIN_TOKEN_USE_MS}.
 */
export function tokenWindows(
  token: Pick<StoredToken, 'obtainedAt' | 'expiresAt'>,
  skewMs: number,
): TokenWindows | undefined {
  if (token.expiresAt === undefined) return undefined;
  const lifetime = Math.max(0, token.expiresAt - token.obtainedAt);
  const hardStart = Math.max(token.expiresAt - Math.min(skewMs, lifetime / 2), token.obtainedAt + MIN_TOKEN_USE_MS);
  const soft = Math.min(lifetime * SOFT_WINDOW_RATIO, MAX_SOFT_WINDOW_MS);
  return { hardStart, softStart: Math.max(token.obtainedAt, hardStart - soft) };
}

/** Pure: the freshness of `token` at `now`. A token without expiry is fresh until rejected. */
export function freshness(
  token: Pick<StoredToken, 'obtainedAt' | 'expiresAt'>,
  now: number,
  skewMs: number,
): Freshness {
  return freshnessIn(tokenWindows(token, skewMs), now);
}

/** Pure: the freshness at `now` of a token with these windows (undefined: no expiry, fresh until rejected). */
export function freshnessIn(windows: TokenWindows | undefined, now: number): Freshness {
  if (!windows) return 'fresh';
  if (now >= windows.hardStart) return 'expired';
  return now >= windows.softStart ? 'renew-soon' : 'fresh';
}
