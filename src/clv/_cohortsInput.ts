/**
 * Input checks of {@link fitCohortsSBG} (private to the module): the cohorts' names and survivor
 * counts, and the options with their defaults.
 * @module
 */
import type { ValidationIssue } from '../_lib/errors';
import type { CohortsSbgOptions, SbgCohort } from './fitCohortsSBG';

/** The validated options of {@link fitCohortsSBG}, defaults applied. */
export interface CohortsOptions {
  pooling: 'shared' | 'separate';
  periods: number;
  dr: number;
  renewals: number;
  level: number;
  draws: number;
}

/** Located issues of the cohorts themselves (names, survivor counts), in cohort order. */
export function cohortIssues(cohorts: readonly SbgCohort[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  cohorts.forEach((c, i) => {
    if (c === null || typeof c !== 'object' || typeof c.name !== 'string' || c.name === '') {
      issues.push({
        index: i,
        path: ['name'],
        code: 'invalid_value',
        message: 'each cohort needs a non-empty "name"',
      });
      return;
    }
    if (seen.has(c.name))
      issues.push({
        index: i,
        path: ['name'],
        code: 'duplicate_id',
        message: `cohort name "${c.name}" is used twice`,
      });
    seen.add(c.name);
    const s = c.survivors;
    if (!Array.isArray(s) || s.length < 2) {
      issues.push({
        index: i,
        path: ['survivors'],
        code: 'too_small',
        message: '"survivors" must be an array of at least 2 counts',
      });
      return;
    }
    const t = firstBadCount(s);
    if (t >= 0)
      issues.push({
        index: i,
        path: ['survivors', t],
        code: 'invalid_count',
        message: 'survivor counts must be finite, >= 0, start > 0 and never increase',
      });
  });
  return issues;
}

/**
 * True when survivor count `s[t]` is not a finite number, is negative, is not positive at t = 0, or
 * is above the count before it (the one rule of fitShiftedBetaGeometric and fitCohortsSBG).
 */
export function isBadSurvivorCount(s: readonly unknown[], t: number): boolean {
  const v = s[t];
  return (
    typeof v !== 'number' ||
    !Number.isFinite(v) ||
    v < 0 ||
    (t === 0 && v <= 0) ||
    (t > 0 && v > (s[t - 1] as number))
  );
}

/** Index of the first survivor count that is not finite, negative, zero at t = 0 or increasing; −1 if none. */
function firstBadCount(s: readonly unknown[]): number {
  for (let t = 0; t < s.length; t++) {
    if (isBadSurvivorCount(s, t)) return t;
  }
  return -1;
}

/** Reads the options with their defaults, pushing an issue per invalid one and the work cap. */
export function readOptions(
  o: CohortsSbgOptions,
  cohortCount: number,
  issues: ValidationIssue[],
): CohortsOptions {
  const pooling = o.pooling ?? 'separate';
  if (pooling !== 'shared' && pooling !== 'separate')
    issues.push({
      path: ['pooling'],
      code: 'invalid_value',
      message: 'option "pooling" must be "shared" or "separate"',
    });
  const periods = o.periods ?? 12;
  if (!Number.isInteger(periods) || periods < 1 || periods > 10000)
    issues.push({
      path: ['periods'],
      code: 'out_of_range',
      message: 'option "periods" must be an integer in [1, 10000]',
    });
  const dr = o.discountRate ?? 0.1;
  if (typeof dr !== 'number' || !(dr >= 0.001 && dr <= 10))
    issues.push({
      path: ['discountRate'],
      code: 'out_of_range',
      message: 'option "discountRate" must be in [0.001, 10] per period',
    });
  const renewals = o.renewals ?? 0;
  if (!Number.isInteger(renewals) || renewals < 0)
    issues.push({
      path: ['renewals'],
      code: 'invalid_value',
      message: 'option "renewals" must be an integer >= 0',
    });
  const level = o.level ?? 0.9;
  if (typeof level !== 'number' || !(level > 0 && level < 1))
    issues.push({ path: ['level'], code: 'out_of_range', message: 'option "level" must be in (0, 1)' });
  const draws = o.draws ?? 500;
  if (!Number.isInteger(draws) || draws < 10 || draws > 100000)
    issues.push({
      path: ['draws'],
      code: 'out_of_range',
      message: 'option "draws" must be an integer in [10, 100000]',
    });
  if (issues.length === 0) {
    // Work per cohort ≈ draws × (periods + DERL terms); DERL terms decay like (1+d)^{−k} to 1e−16.
    const work = draws * (periods + 37 / Math.log1p(dr)) * cohortCount;
    if (work > 5e7)
      issues.push({
        path: ['draws'],
        code: 'too_big',
        message: `option "draws" × (periods + DERL terms) × cohorts is ${work.toExponential(1)} steps; keep it under 5e7 (fewer draws, a larger discountRate or fewer periods)`,
      });
  }
  return { pooling, periods, dr, renewals, level, draws };
}
