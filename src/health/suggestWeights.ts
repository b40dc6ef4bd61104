import { ConvergenceError, InsufficientDataError } from '../_lib/errors';
import { createRng } from '../_lib/random';
import { type DateInput, requireEpochMs } from '../_lib/time';
import type { CustomerEvent, CustomerTimelines } from '../events/types';
import { type CompiledScorecard, compileScorecard } from './compileScorecard';
import { defaultScorecard } from './defaultScorecard';
import { groupEvents } from './groupEvents';
import { type OutcomeRow, outcomeRows } from './outcomeRows';
import { rocAuc } from './rocAuc';
import type { HealthGroup, Scorecard } from './scorecardSchema';
import { assembleScore } from './scoreEngine';
import { resolveHealthOptions, type ScoreHealthOptions } from './scoreHealth';

/** Options of {@link suggestWeights}. */
export interface SuggestWeightsOptions
  extends Omit<ScoreHealthOptions, 'asOf' | 'overrides' | 'drivers' | 'scorecard'> {
  /** Snapshot date(s); customer-snapshots are pooled. */
  asOf: DateInput | readonly DateInput[];
  /** The scorecard whose weights are fitted (a single scorecard, not a set). @default defaultScorecard */
  scorecard?: Scorecard;
  /** Days after `asOf` in which a cancellation counts as churn. @default 90 */
  horizon?: number;
  /** Share of customers held out to measure the AUC before/after (split by customer). @default 0.3 */
  holdout?: number;
  /** Seed of the train/test split. @default 1 */
  seed?: number | string;
  /** L2 penalty on the coefficients (on the summed log-loss). @default 1 */
  l2?: number;
  /** Cancellation times per customer; by default `subscription_cancelled` events. @default from events */
  outcomes?: ReadonlyMap<string, readonly number[]>;
}

/** One measure's weight before and after fitting. */
export interface SuggestedWeight {
  measure: string;
  /** Nominal global weight (share) before and after. */
  before: number;
  after: number;
  /** Fitted coefficient: log-odds of staying per 100 points of the measure score (>= 0). */
  coefficient: number;
}

/** Result of {@link suggestWeights}. */
export interface WeightSuggestion {
  /** The scorecard with fitted weights (same measures, curves and bands; group weights = sum of their measures). */
  scorecard: Scorecard;
  weights: SuggestedWeight[];
  intercept: number;
  /** ROC AUC on the held-out customers with the original and the fitted weights. */
  auc: { before: number | null; after: number | null };
  /** Same on the training customers. */
  trainAuc: { before: number | null; after: number | null };
  n: { train: number; test: number; trainChurned: number; testChurned: number };
  iterations: number;
}

const MAX_SWEEPS = 5000;

/**
 * Fits the measure weights of a scorecard to observed churn. Each customer-snapshot gives features
 * `x_m = score_m / 100` (measures without data imputed with the training mean) and a label (cancels
 * within `horizon` days). The model `P(churn) = σ(b − Σ β_m x_m)` with `β ≥ 0` is fitted by
 * minimising the log-loss plus `l2/2 · ‖β‖²` with projected coordinate descent on a quadratic
 * majoriser (curvature bound ¼ Σ x²), which decreases the objective monotonically. The fitted `β`
 * become the measures' weights (groups weigh the sum of their measures), so higher weight still
 * means "more healthy when high". Customers are split (seeded) into training and held-out sets; the
 * AUC of the original and fitted scorecards is reported on both.
 *
 * Missing data: as {@link evaluateHealth}; a measure never observed in training gets weight 0.
 *
 * @param events validated events including the outcome period after each snapshot.
 * @param options snapshot(s), horizon, scorecard, holdout share, seed, l2, profiles, signals.
 * @returns the fitted scorecard, weights and AUC before/after.
 * @throws InsufficientDataError when the training or held-out set lacks churners or stayers.
 * @throws ConvergenceError when the fit does not converge in 5,000 sweeps.
 * @example
 * ```ts
 * const s = suggestWeights(events, { asOf: ['2025-01-01', '2025-04-01'], horizon: 90 });
 * s.auc; // => { before: 0.78, after: 0.83 }
 * ```
 */
export function suggestWeights(
  events: readonly CustomerEvent[] | CustomerTimelines,
  options: SuggestWeightsOptions,
): WeightSuggestion {
  const fn = 'suggestWeights';
  const list = Array.isArray(options.asOf)
    ? (options.asOf as readonly DateInput[])
    : [options.asOf as DateInput];
  const snapshots = list.map((d, i) => requireEpochMs(d, fn, list.length > 1 ? `asOf[${i}]` : 'asOf'));
  const horizon = options.horizon ?? 90;
  const holdout = options.holdout ?? 0.3;
  const l2 = options.l2 ?? 1;
  if (!(horizon > 0)) throw new RangeError(`${fn}: option "horizon" must be > 0 days`);
  if (!(holdout > 0 && holdout < 1)) throw new RangeError(`${fn}: option "holdout" must be in (0, 1)`);
  if (!(l2 >= 0)) throw new RangeError(`${fn}: option "l2" must be >= 0`);
  const source = options.scorecard ?? defaultScorecard;
  const resolved = resolveHealthOptions(
    { scorecard: source, profiles: options.profiles, signals: options.signals },
    fn,
  );
  const sc = resolved.set.fallback;
  const timelines = groupEvents(events);
  const rows = outcomeRows(timelines, resolved, snapshots, horizon, options.outcomes).filter(
    (r) => assembleScore(r.state, r.asOf, undefined, 0).score !== null,
  );

  // Split by customer.
  const ids = Array.from(new Set(rows.map((r) => r.customerId))).sort();
  createRng(options.seed ?? 1).shuffle(ids);
  const testIds = new Set(ids.slice(0, Math.round(ids.length * holdout)));
  const train = rows.filter((r) => !testIds.has(r.customerId));
  const test = rows.filter((r) => testIds.has(r.customerId));
  const count = (rs: OutcomeRow[]): number => rs.reduce((a, r) => a + (r.churned ? 1 : 0), 0);
  const trainChurned = count(train);
  const testChurned = count(test);
  for (const [name, rs, c] of [
    ['training', train, trainChurned],
    ['held-out', test, testChurned],
  ] as const) {
    if (c === 0 || c === rs.length) {
      throw new InsufficientDataError(
        fn,
        `the ${name} set needs both churners and stayers (${c} of ${rs.length} churned)`,
        {
          available: Math.min(c, rs.length - c),
          required: 1,
        },
      );
    }
  }

  // Features.
  const m = sc.measures.length;
  const n = train.length;
  const X = new Float64Array(n * m);
  const y = new Float64Array(n);
  const mean = new Float64Array(m);
  const seen = new Float64Array(m);
  for (const r of train) {
    for (let j = 0; j < m; j++) {
      const s = r.state.table.raw[r.state.base + j] as number;
      if (!Number.isNaN(s)) {
        mean[j] = (mean[j] as number) + s / 100;
        seen[j] = (seen[j] as number) + 1;
      }
    }
  }
  for (let j = 0; j < m; j++)
    mean[j] = (seen[j] as number) > 0 ? (mean[j] as number) / (seen[j] as number) : 0;
  train.forEach((r, i) => {
    y[i] = r.churned ? 1 : 0;
    for (let j = 0; j < m; j++) {
      const s = r.state.table.raw[r.state.base + j] as number;
      X[i * m + j] = Number.isNaN(s) ? (mean[j] as number) : s / 100;
    }
  });
  const fit = fitNonNegativeLogistic(X, y, n, m, l2, seen);

  // Map back to the scorecard.
  const beta = fit.beta;
  let total = 0;
  for (let j = 0; j < m; j++) total += beta[j] as number;
  if (!(total > 0)) {
    throw new InsufficientDataError(fn, 'no measure is associated with staying (every fitted weight is 0)', {
      available: 0,
      required: 1,
    });
  }
  const weightOf = new Map<string, number>();
  sc.measures.forEach((cm, j) => {
    weightOf.set(cm.id, Math.round(((beta[j] as number) / total) * 100 * 1e6) / 1e6);
  });
  const remap = (g: HealthGroup): HealthGroup => {
    const measures = (g.measures ?? []).map((x) => ({ ...x, weight: weightOf.get(x.id) ?? 0 }));
    const groups = (g.groups ?? []).map(remap);
    const weight = measures.reduce((a, x) => a + x.weight, 0) + groups.reduce((a, x) => a + x.weight, 0);
    const out: HealthGroup = { ...g, weight: Math.round(weight * 1e6) / 1e6 };
    if (g.measures !== undefined) out.measures = measures;
    if (g.groups !== undefined) out.groups = groups;
    return out;
  };
  const fitted: Scorecard = { ...sc.source, groups: sc.source.groups.map(remap) };
  const fittedSc = compileScorecard(fitted, options.signals, fn);

  const aucOf = (rs: OutcomeRow[], card: CompiledScorecard): number | null => {
    const scores: number[] = [];
    const labels: boolean[] = [];
    for (const r of rs) {
      const s = assembleScore({ ...r.state, sc: card }, r.asOf, undefined, 0).computedScore;
      if (s === null) continue;
      scores.push(s);
      labels.push(r.churned);
    }
    return rocAuc(scores, labels);
  };
  const after = new Map(fittedSc.measures.map((x) => [x.id, x.nominal]));
  return {
    scorecard: fitted,
    weights: sc.measures.map((cm, j) => ({
      measure: cm.id,
      before: cm.nominal,
      after: after.get(cm.id) ?? 0,
      coefficient: beta[j] as number,
    })),
    intercept: fit.intercept,
    auc: { before: aucOf(test, sc), after: aucOf(test, fittedSc) },
    trainAuc: { before: aucOf(train, sc), after: aucOf(train, fittedSc) },
    n: { train: train.length, test: test.length, trainChurned, testChurned },
    iterations: fit.iterations,
  };
}

/**
 * Minimises Σ log(1 + e^{z_i}) − y_i z_i + l2/2 ‖β‖², with z = b − Xβ, β ≥ 0, by projected
 * coordinate descent on the majoriser with curvature ¼ Σ x² (+ l2). Columns never observed stay 0.
 */
function fitNonNegativeLogistic(
  X: Float64Array,
  y: Float64Array,
  n: number,
  m: number,
  l2: number,
  seen: Float64Array,
): { beta: Float64Array; intercept: number; iterations: number } {
  const beta = new Float64Array(m);
  const z = new Float64Array(n);
  const curv = new Float64Array(m);
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i] as number;
  ybar /= n;
  let b = Math.log(ybar / (1 - ybar));
  z.fill(b);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += (X[i * m + j] as number) ** 2;
    curv[j] = 0.25 * s + l2;
  }
  const objective = (): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const zi = z[i] as number;
      f += (zi > 0 ? zi + Math.log1p(Math.exp(-zi)) : Math.log1p(Math.exp(zi))) - (y[i] as number) * zi;
    }
    for (let j = 0; j < m; j++) f += 0.5 * l2 * (beta[j] as number) ** 2;
    return f;
  };
  let prev = objective();
  for (let sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
    // Intercept: a majorised Newton step (curvature ¼ n).
    let gb = 0;
    for (let i = 0; i < n; i++) gb += 1 / (1 + Math.exp(-(z[i] as number))) - (y[i] as number);
    const db = -gb / (0.25 * n);
    b += db;
    for (let i = 0; i < n; i++) z[i] = (z[i] as number) + db;
    for (let j = 0; j < m; j++) {
      if ((seen[j] as number) === 0) continue;
      // d/dβ_j of the loss: Σ (p_i − y_i) · (−x_ij) + l2 β_j.
      let g = l2 * (beta[j] as number);
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-(z[i] as number)));
        g -= (p - (y[i] as number)) * (X[i * m + j] as number);
      }
      const old = beta[j] as number;
      const nb = Math.max(0, old - g / (curv[j] as number));
      const d = nb - old;
      if (d !== 0) {
        beta[j] = nb;
        for (let i = 0; i < n; i++) z[i] = (z[i] as number) - d * (X[i * m + j] as number);
      }
    }
    const f = objective();
    if (Math.abs(prev - f) <= 1e-10 * Math.max(1, Math.abs(f)))
      return { beta, intercept: b, iterations: sweep };
    prev = f;
  }
  throw new ConvergenceError('suggestWeights', {
    iterations: MAX_SWEEPS,
    params: [b, ...beta],
    value: prev,
    reason: 'objective still decreasing',
  });
}
