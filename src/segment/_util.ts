import { fmtNumber, fmtPercent } from '../_lib/format';

/** Number of elements of the ascending `sorted` array strictly below `v`. */
export function countBelow(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of elements of the ascending `sorted` array strictly above `v`. */
export function countAbove(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}

/** Number for reasons: the project's one sentence formatter (`fmtNumber` in src/_lib/format.ts). */
export const fmtNum: (v: number) => string = fmtNumber;

/** Signed z for reasons: `+1.8`, `-0.6`. */
export function fmtZ(z: number): string {
  return `${z >= 0 ? '+' : '−'}${Math.abs(z).toFixed(1)}`;
}

/** Percentage for reasons (`fmtPercent` in src/_lib/format.ts): `12%`, `4.3%`. */
export const fmtPct: (share: number) => string = fmtPercent;
