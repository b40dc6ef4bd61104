/**
 * Signal codes and the compiled plan of one signal pass: which windows to snapshot, what to track.
 * @module
 */
import { optionError } from '../_lib/errors';
import { MS_PER_DAY } from '../_lib/time';

/** One signal request: a built-in signal code and its window in days (0 for signals without one). */
export interface SignalRequest {
  code: number;
  days: number;
}

/** A compiled set of requests: distinct windows sorted longest first, and what the pass must track. */
export interface SignalPlan {
  readonly requests: readonly SignalRequest[];
  /** Window index per request (and the 2N / 4N window for trends), -1 when none. */
  readonly win: Int32Array;
  readonly win2: Int32Array;
  readonly windowMs: Float64Array;
  /** Longest window of the user-based / feature-based signals (ms). */
  readonly userMs: number;
  readonly featureMs: number;
  readonly needUsers: boolean;
  readonly needFeatures: boolean;
  readonly slopeDays: number;
}

/** Running-total fields (snapshotted at each window start). Each survey sum is followed by its count. */
export const F = {
  act: 0,
  actDays: 1,
  logins: 2,
  featUses: 3,
  tickets: 4,
  high: 5,
  failed: 6,
  npsSum: 7,
  csatSum: 9,
  cesSum: 11,
  orders: 13,
  bought: 14,
  refunded: 15,
} as const;
/** Number of running-total fields. */
export const NF = 16;
/** Most distinct windows a scorecard may use. */
export const MAX_WINDOWS = 32;
/** Longest window of the daily slope. */
export const MAX_SLOPE_DAYS = 371;

/** Built-in signal codes (the `code` of each `HEALTH_SIGNALS` entry). */
export const C = {
  activeDays: 0,
  logins: 1,
  activityEvents: 2,
  activeUsers: 3,
  licenseUtilisation: 4,
  usageTrend: 5,
  usageSlope: 6,
  featureBreadth: 7,
  featureDepth: 8,
  daysSinceActivity: 9,
  openTickets: 10,
  ticketRate: 11,
  highPriorityTickets: 12,
  medianResolutionHours: 13,
  npsLatest: 14,
  npsAverage: 15,
  csatAverage: 16,
  cesAverage: 17,
  failedPayments: 18,
  mrrChange: 19,
  mrr: 20,
  seats: 21,
  daysToRenewal: 22,
  tenureDays: 23,
  csmRating: 24,
  usageVsBaseline: 25,
  activityPerUser: 26,
  daysSincePurchase: 27,
  purchases: 28,
  spend: 29,
  spendTrend: 30,
  refundRate: 31,
} as const;

/** Extra windows a signal reads: 2N for trends, 4N for the baseline rate. */
function secondWindow(code: number, days: number): number {
  if (code === C.usageTrend || code === C.spendTrend) return days * 2;
  if (code === C.usageVsBaseline) return days * 4;
  return 0;
}

/**
 * Days of history before `asOf` a signal reads at window `days`: the earlier window of a trend,
 * the 3N days of a baseline rate, the window of a slope or of an MRR change; 0 for the others
 * (a count over a window is a count whatever the history).
 * @internal
 */
export function historyDays(code: number, days: number): number {
  const second = secondWindow(code, days);
  if (second > 0) return second;
  if (code === C.usageSlope) return Math.min(days, MAX_SLOPE_DAYS);
  if (code === C.mrrChange) return days;
  return 0;
}

/**
 * Compiles signal requests into a plan (distinct windows, what to track).
 * @throws ValidationError when the requests use more than 32 distinct windows.
 * @internal
 */
export function buildSignalPlan(requests: readonly SignalRequest[], fn = 'scoreHealth'): SignalPlan {
  const days = new Set<number>();
  let userDays = 0;
  let featureDays = 0;
  let slopeDays = 0;
  for (const r of requests) {
    if (r.days > 0) days.add(r.days);
    const second = secondWindow(r.code, r.days);
    if (second > 0) days.add(second);
    if (r.code === C.activeUsers || r.code === C.licenseUtilisation || r.code === C.activityPerUser) {
      userDays = Math.max(userDays, r.days);
    }
    if (r.code === C.featureBreadth || r.code === C.featureDepth) featureDays = Math.max(featureDays, r.days);
    if (r.code === C.usageSlope) slopeDays = Math.max(slopeDays, Math.min(r.days, MAX_SLOPE_DAYS));
  }
  const sorted = Array.from(days).sort((a, b) => b - a);
  if (sorted.length > MAX_WINDOWS) {
    throw optionError(fn, 'scorecard', `may use at most ${MAX_WINDOWS} distinct windows`, 'too_many');
  }
  const win = new Int32Array(requests.length).fill(-1);
  const win2 = new Int32Array(requests.length).fill(-1);
  requests.forEach((r, i) => {
    if (r.days > 0) win[i] = sorted.indexOf(r.days);
    const second = secondWindow(r.code, r.days);
    if (second > 0) win2[i] = sorted.indexOf(second);
  });
  return {
    requests,
    win,
    win2,
    windowMs: Float64Array.from(sorted, (d) => d * MS_PER_DAY),
    userMs: userDays * MS_PER_DAY,
    featureMs: featureDays * MS_PER_DAY,
    needUsers: userDays > 0,
    needFeatures: featureDays > 0,
    slopeDays,
  };
}
