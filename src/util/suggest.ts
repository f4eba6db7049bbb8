/**
 * "Did you mean": the known name nearest to a mistyped one. Distance is optimal string alignment
 * (Levenshtein plus transposition of two neighbours, so `clientSecert` is one edit from
 * `clientSecret`), case-insensitive. A name gets a guess only within max(1, ⌊length / 4⌋) edits.
 */

/** Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i].push(d);
    }
  }
  return rows[a.length][b.length];
}

/** The entry of `known` nearest to `name` (the first among equals), or undefined when none is near enough. */
export function suggestion(name: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 4));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean "<prefix><nearest>"?` for a message, or `''` when nothing is near. */
export function didYouMean(name: string, known: readonly string[], prefix = ''): string {
  const nearest = suggestion(name, known);
  return nearest === undefined ? '' : `; did you mean "${prefix}${nearest}"?`;
}
