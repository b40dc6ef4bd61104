/**
 * AUC with DeLong's variance (DeLong, DeLong & Clarke-Pearson 1988), via the placement values:
 * V10ᵢ = share of negatives a positive i outranks (ties ½), V01ⱼ = share of positives outranking
 * negative j; Var = s²(V10)/m + s²(V01)/n. O((m + n) log(m + n)) with midranks (Sun & Xu 2014).
 * Private: replace with src/_lib/auc.ts once it exists.
 * @module
 */

/** AUC and its DeLong variance; null when a class is absent. */
export function aucDeLong(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): { auc: number; variance: number } | null {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < scores.length; i++) (labels[i] === 1 ? pos : neg).push(scores[i] as number);
  const m = pos.length;
  const n = neg.length;
  if (m === 0 || n === 0) return null;
  const all = midranks([...pos, ...neg]);
  const rp = midranks(pos);
  const rn = midranks(neg);
  let sumAll = 0;
  const v10 = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    v10[i] = ((all[i] as number) - (rp[i] as number)) / n;
    sumAll += all[i] as number;
  }
  const auc = (sumAll - (m * (m + 1)) / 2) / (m * n);
  const v01 = new Float64Array(n);
  for (let j = 0; j < n; j++) v01[j] = 1 - ((all[m + j] as number) - (rn[j] as number)) / m;
  const variance = (m > 1 ? sampleVar(v10) / m : 0) + (n > 1 ? sampleVar(v01) / n : 0);
  return { auc, variance };
}

function sampleVar(x: Float64Array): number {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  return ss / (x.length - 1);
}

function midranks(x: readonly number[]): Float64Array {
  const idx = x.map((_, i) => i).sort((a, b) => (x[a] as number) - (x[b] as number));
  const r = new Float64Array(x.length);
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j < idx.length && x[idx[j] as number] === x[idx[i] as number]) j++;
    const mid = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) r[idx[k] as number] = mid;
    i = j;
  }
  return r;
}
