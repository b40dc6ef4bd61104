/**
 * ROC AUC of a score for separating positives from negatives, where a LOWER score should mean a
 * positive (e.g. churn): the probability that a random positive scores below a random negative,
 * ties counting one half (Mann–Whitney U / (n₊ n₋)), computed by sorting in O(n log n).
 *
 * Missing data: returns null when there is no positive or no negative.
 *
 * @param scores one score per observation.
 * @param positive `true` for positives (e.g. churned), same length as `scores`.
 * @returns the AUC in [0, 1], or null.
 * @throws RangeError when the arrays differ in length.
 * @example
 * ```ts
 * rocAuc([10, 20, 80, 90], [true, false, false, false]); // => 1
 * rocAuc([10, 20, 80, 90], [false, true, true, false]); // => 0.5
 * ```
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number | null {
  const n = scores.length;
  if (positive.length !== n) throw new RangeError('rocAuc: "scores" and "positive" differ in length');
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  let nPos = 0;
  for (let i = 0; i < n; i++) if (positive[i]) nPos++;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  // Sum over positives of (negatives strictly above + half the tied negatives).
  let negBelowOrAt = 0;
  let u = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    let p = 0;
    let q = 0;
    for (let k = i; k <= j; k++) {
      if (positive[order[k] as number]) p++;
      else q++;
    }
    // Positives in this tie block: negatives strictly higher = nNeg − negBelowOrAt − q.
    u += p * (nNeg - negBelowOrAt - q) + p * q * 0.5;
    negBelowOrAt += q;
    i = j + 1;
  }
  return u / (nPos * nNeg);
}
