/**
 * "Did you mean" for names: the closest valid name by optimal-string-alignment distance.
 * @module
 */

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const n = s.length;
  const m = t.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d = Math.min(d, (prev2[j - 2] as number) + 1);
      }
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m] as number;
}

/**
 * The candidate closest to `name`, or `undefined` when none is close enough (distance at most
 * max(2, a third of the longer name), or one contains the other, ignoring case and `_`/`-`).
 * Names longer than 200 characters are never matched (no quadratic work on hostile input).
 * @example
 * ```ts
 * closestName('modle', ['model', 'l2', 'trees']); // => 'model'
 * closestName('customer_id', ['CustomerID', 'Country']); // => 'CustomerID'
 * ```
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > 200) return undefined;
  const squash = (x: string) => x.toLowerCase().replace(/[_\-\s.]/g, '');
  const sq = squash(name);
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    if (c.length > 200) continue;
    const cs = squash(c);
    let d = cs === sq ? 0 : editDistance(sq, cs);
    if (d > 0 && sq.length >= 3 && cs.length >= 3 && (cs.includes(sq) || sq.includes(cs)))
      d = Math.min(d, 1.5);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(sq.length, squash(best).length) / 3));
  return bestD <= limit ? best : undefined;
}

/** `; did you mean "x"?` or `''`: the tail of an unknown-name message. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const c = closestName(name, candidates);
  return c === undefined ? '' : `; did you mean "${c}"?`;
}
