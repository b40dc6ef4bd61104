import { checkOptions, InsufficientDataError, optionError } from '../_lib/errors';
import type { DateInput } from '../_lib/time';
import type { CustomerEvent, CustomerTimelines } from '../events/types';
import type { EventStore } from '../store/EventStore';
import { assembleScore } from './_assembleScore';
import { lowScoreAuc } from './_lowScoreAuc';
import { outcomeRows } from './_outcomeRows';
import { prepareHealthInput } from './_storeRun';
import { type HealthWarning, INSUFFICIENT_DATA } from './healthTypes';
import { requireInstant, runWarnings, type ScoreHealthOptions } from './scoreHealth';

/** Options of {@link evaluateHealth}. */
export interface EvaluateHealthOptions extends Omit<ScoreHealthOptions, 'asOf' | 'overrides' | 'drivers'> {
  /** Snapshot date, or several (their customer-snapshots are pooled). */
  asOf: DateInput | readonly DateInput[];
  /** Days after `asOf` in which a cancellation counts as churn. @default 90 */
  horizon?: number;
  /**
   * Cancellation times per customer (e.g. ground truth); by default the customer's
   * `subscription_cancelled` events. @default from events
   */
  outcomes?: ReadonlyMap<string, readonly number[]>;
}

/** Churn in one band. */
export interface BandOutcome {
  band: string;
  n: number;
  churned: number;
  /** Share of the band that churned, or null when the band is empty. */
  churnRate: number | null;
}

/** How well health scores predicted churn. */
export interface HealthEvaluation {
  /** Customer-snapshots scored (active at their snapshot, with a non-null score). */
  n: number;
  churned: number;
  churnRate: number;
  /** ROC AUC: probability that a churner scores below a customer who stays (ties ½); null without both classes. */
  auc: number | null;
  /** Churn per band, in the scorecard's band order. */
  bands: BandOutcome[];
  /** The 10% lowest-scored customer-snapshots: their churn rate and its ratio to the overall rate. */
  lowestDecile: { n: number; churned: number; churnRate: number; lift: number | null };
  horizon: number;
  snapshots: number[];
  /** Why `auc` is null, else null. */
  reason: string | null;
  /** Warnings about the data (as `scoreHealth`'s), each at most once. */
  warnings: HealthWarning[];
}

const KNOWN = ['asOf', 'scorecard', 'profiles', 'signals', 'minCoverage', 'horizon', 'outcomes'];

/**
 * Measures how well the health score predicts churn: each customer active at a snapshot `asOf`
 * (not cancelled, with a score) is labelled churned when it cancels within the next `horizon` days.
 * Reports the ROC AUC (Mann–Whitney, lower score = riskier), the churn rate per band and the lift
 * of the lowest-scored decile (its churn rate / the overall churn rate). Overrides are not applied:
 * this evaluates the scorecard itself.
 *
 * Missing data: customers with a null score or already cancelled at the snapshot are left out;
 * `auc` is null (with a `reason`) when there are no churners or no stayers. Events must extend past
 * `asOf + horizon` for the labels to be complete.
 *
 * @param events validated events (including those after `asOf`, which give the outcomes), or an
 *   `EventStore` (grouped from its columns: no event object per row; same result).
 * @param options snapshot(s), horizon, scorecard, profiles, custom signals, optional outcomes.
 * @returns the evaluation.
 * @throws InsufficientDataError when no customer is active at any snapshot.
 * @throws {ValidationError} on an invalid scorecard, option or date.
 * @example
 * ```ts
 * const ev = evaluateHealth(events, { asOf: '2025-06-01', horizon: 90 });
 * ev.auc; // => 0.81
 * ev.lowestDecile.lift; // => 3.4
 * ```
 */
export function evaluateHealth(
  events: readonly CustomerEvent[] | CustomerTimelines | EventStore,
  options: EvaluateHealthOptions,
): HealthEvaluation {
  const fn = 'evaluateHealth';
  checkOptions(fn, options, KNOWN);
  const list = Array.isArray(options?.asOf)
    ? (options.asOf as readonly DateInput[])
    : [options?.asOf as DateInput];
  const snapshots = list.map((d, i) => requireInstant(d, fn, list.length > 1 ? `asOf[${i}]` : 'asOf'));
  const horizon = options.horizon ?? 90;
  if (typeof horizon !== 'number' || !(horizon > 0 && horizon <= 36600))
    throw optionError(fn, 'horizon', `must be a number of days in (0, 36600]`);
  const run = prepareHealthInput(events, { ...options, overrides: undefined, drivers: 0 }, fn, snapshots);
  const resolved = run.resolved;
  const rows = outcomeRows(run, snapshots, horizon, options.outcomes);
  const scores: number[] = [];
  const labels: boolean[] = [];
  const bandsOf: string[] = [];
  for (const r of rows) {
    const s = assembleScore(r.state, r.asOf, undefined, 0, run.ctx.weights);
    if (s.score === null) continue;
    run.ctx.scored++;
    if (s.band === INSUFFICIENT_DATA) run.ctx.lowCoverage++;
    scores.push(s.score);
    labels.push(r.churned);
    bandsOf.push(s.band as string);
  }
  const n = scores.length;
  if (n === 0)
    throw new InsufficientDataError(fn, 'no customer is active with a score at the snapshot date(s)', {
      available: 0,
      required: 1,
    });
  let churned = 0;
  for (const l of labels) if (l) churned++;
  const churnRate = churned / n;
  const auc = lowScoreAuc(scores, labels);
  const bandLabels = resolved.set.fallback.bands.map((b) => b.label);
  for (const sc of resolved.set.all)
    for (const b of sc.bands) if (!bandLabels.includes(b.label)) bandLabels.push(b.label);
  if (bandsOf.includes(INSUFFICIENT_DATA)) bandLabels.push(INSUFFICIENT_DATA);
  const bands: BandOutcome[] = bandLabels.map((band) => {
    let bn = 0;
    let bc = 0;
    for (let i = 0; i < n; i++) {
      if (bandsOf[i] !== band) continue;
      bn++;
      if (labels[i]) bc++;
    }
    return { band, n: bn, churned: bc, churnRate: bn > 0 ? bc / bn : null };
  });
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number) || a - b,
  );
  const dn = Math.max(1, Math.round(n / 10));
  let dc = 0;
  for (let k = 0; k < dn; k++) if (labels[order[k] as number]) dc++;
  const decileRate = dc / dn;
  return {
    n,
    churned,
    churnRate,
    auc,
    bands,
    lowestDecile: {
      n: dn,
      churned: dc,
      churnRate: decileRate,
      lift: churnRate > 0 ? decileRate / churnRate : null,
    },
    horizon,
    snapshots,
    reason:
      auc === null
        ? churned === 0
          ? 'no customer churned within the horizon'
          : 'every customer churned'
        : null,
    warnings: runWarnings(run),
  };
}
