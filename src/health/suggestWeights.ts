import { checkOptions, InsufficientDataError, optionError } from '../_lib/errors';
import { createRng } from '../_lib/random';
import type { DateInput } from '../_lib/time';
import type { CustomerEvent, CustomerTimelines } from '../events/types';
import type { EventStore } from '../store/EventStore';
import { assembleScore } from './_assembleScore';
import { fitNonNegativeLogistic } from './_fitNonNegativeLogistic';
import { lowScoreAuc } from './_lowScoreAuc';
import { type OutcomeRow, outcomeRows } from './_outcomeRows';
import { prepareHealthInput } from './_storeRun';
import { type CompiledScorecard, compileScorecard } from './compileScorecard';
import { defaultScorecard } from './defaultScorecard';
import type { HealthWarning } from './healthTypes';
import type { HealthGroup, Scorecard } from './scorecardSchema';
import { requireInstant, runWarnings, type ScoreHealthOptions } from './scoreHealth';

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
  /** Seed of the train/test split and of the cross-validation folds. @default 1 */
  seed?: number | string;
  /**
   * Strength of the L2 penalty pulling the coefficients towards the (rescaled) current weights.
   * @default chosen by 3-fold cross-validation on the training customers among 0.3, 3, 30, 300, 3000
   */
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
  /** The L2 strength used (given, or chosen by cross-validation); null when cross-validation kept the current weights. */
  l2: number | null;
  /** ROC AUC on the held-out customers with the original and the fitted weights. */
  auc: { before: number | null; after: number | null };
  /** Same on the training customers. */
  trainAuc: { before: number | null; after: number | null };
  n: { train: number; test: number; trainChurned: number; testChurned: number };
  /** Newton iterations of the final fit. */
  iterations: number;
  /** Warnings about the data (as `scoreHealth`'s), each at most once. */
  warnings: HealthWarning[];
}

const KNOWN = ['asOf', 'scorecard', 'profiles', 'signals', 'horizon', 'holdout', 'seed', 'l2', 'outcomes'];

const L2_GRID = [0.3, 3, 30, 300, 3000];

/** AUC of a compiled scorecard's computed score over outcome rows (re-using their signal tables). */
function aucOf(rs: OutcomeRow[], card: CompiledScorecard): number | null {
  const scores: number[] = [];
  const labels: boolean[] = [];
  for (const r of rs) {
    const s = assembleScore({ ...r.state, sc: card }, r.asOf, undefined, 0).computedScore;
    if (s === null) continue;
    scores.push(s);
    labels.push(r.churned);
  }
  return lowScoreAuc(scores, labels);
}

/** Score of the nearest group (from the measure's own group up) that has one, else the total, else 50. */
function imputed(sc: CompiledScorecard, result: ReturnType<typeof assembleScore>, j: number): number {
  let g = (sc.measures[j] as CompiledScorecard['measures'][number]).group;
  const byId = new Map(result.groups.map((x) => [x.id, x.score]));
  while (g > 0) {
    const grp = sc.groups[g] as CompiledScorecard['groups'][number];
    const v = byId.get(grp.id);
    if (v !== null && v !== undefined) return v;
    g = grp.parent;
  }
  return result.computedScore ?? 50;
}

/** The scorecard with measure weights ∝ beta (in percent) and each group weighing the sum of its subtree. */
function withWeights(sc: CompiledScorecard, beta: Float64Array, total: number): Scorecard {
  const weightOf = new Map<string, number>();
  sc.measures.forEach((cm, j) => {
    weightOf.set(cm.id, Math.round(((beta[j] as number) / total) * 100 * 1e6) / 1e6);
  });
  const remap = (g: HealthGroup): HealthGroup => {
    const measures = (g.measures ?? []).map((x) => ({ ...x, weight: weightOf.get(x.id) ?? 0 }));
    const sub = (g.groups ?? []).map(remap);
    const weight = measures.reduce((a, x) => a + x.weight, 0) + sub.reduce((a, x) => a + x.weight, 0);
    const out: HealthGroup = { ...g, weight: Math.round(weight * 1e6) / 1e6 };
    if (g.measures !== undefined) out.measures = measures;
    if (g.groups !== undefined) out.groups = sub;
    return out;
  };
  return { ...sc.source, groups: sc.source.groups.map(remap) };
}

/**
 * Fits the measure weights of a scorecard to observed churn. Each customer-snapshot gives features
 * `x_m = score_m / 100` (measures without data imputed with the training mean) and a label (cancels
 * within `horizon` days). The model `P(churn) = σ(b − Σ β_m x_m)` with `β ≥ 0` is fitted by
 * minimising the log-loss plus `l2/2 · ‖β − s·w‖²`, where `w` are the current global weights and `s`
 * their best common scale (so a strong penalty keeps the current weights), with projected Newton
 * iterations (active set on `β = 0`, Armijo backtracking). A measure without data enters the model
 * with the score of its nearest group that has data, which is what re-spreading its weight does.
 * Unless given, `l2` is chosen by 3-fold cross-validation on the training customers, judging each
 * candidate by the AUC of the resulting scorecard on the left-out fold; the current weights are a
 * candidate too, so they are kept when no fit beats them. The fitted `β` become the measures' weights (groups weigh
 * the sum of their measures), so a higher weight still means "healthier when high". Customers are
 * split (seeded) into training and held-out sets; the AUC of the original and the fitted scorecard
 * is reported on both, computed with the scorecard's own missing-data re-spreading.
 *
 * Missing data: as {@link evaluateHealth}; a measure never observed in training gets weight 0.
 * `intercept` is the fitted log-odds offset (`P(churn) = σ(intercept − Σ coefficient × score/100)`).
 *
 * @param events validated events including the outcome period after each snapshot, or an
 *   `EventStore` (grouped from its columns: no event object per row; same result).
 * @param options snapshot(s), horizon, scorecard, holdout share, seed, l2, profiles, signals.
 * @returns the fitted scorecard, weights and AUC before/after.
 * @throws InsufficientDataError when the training or held-out set lacks churners or stayers.
 * @throws ConvergenceError when the Newton iterations do not converge in 200 steps.
 * @example
 * ```ts
 * const s = suggestWeights(events, { asOf: ['2025-01-01', '2025-04-01'], horizon: 90 });
 * s.auc; // => { before: 0.745, after: 0.752 }
 * s.l2; // => 30 (chosen by cross-validation)
 * ```
 */
export function suggestWeights(
  events: readonly CustomerEvent[] | CustomerTimelines | EventStore,
  options: SuggestWeightsOptions,
): WeightSuggestion {
  const fn = 'suggestWeights';
  checkOptions(fn, options, KNOWN);
  const o = readOptions(options, fn);
  const run = prepareHealthInput(
    events,
    { scorecard: o.source, profiles: options.profiles, signals: options.signals, minCoverage: 0 },
    fn,
    o.snapshots,
  );
  const sc = run.resolved.set.fallback;
  const rows = outcomeRows(run, o.snapshots, o.horizon, options.outcomes).filter(
    (r) => assembleScore(r.state, r.asOf, undefined, 0).score !== null,
  );
  const split = splitByCustomer(rows, o.holdout, options.seed ?? 1, fn);
  const f = new Features(sc, rows, split.train);
  const toScorecard = (beta: Float64Array): CompiledScorecard | null => {
    const total = beta.reduce((a, b) => a + b, 0);
    return total > 0 ? compileScorecard(withWeights(sc, beta, total), options.signals, fn) : null;
  };
  const choice =
    options.l2 === undefined ? chooseL2(f, split, sc, toScorecard) : { l2: options.l2, keepCurrent: false };
  const d = f.design(split.train);
  // Keeping the current weights = an overwhelming pull towards them (fits only scale and intercept).
  const penalty = choice.keepCurrent ? 1e12 : choice.l2;
  const fit = fitNonNegativeLogistic(d.X, d.y, split.train.length, f.m, penalty, f.w0, f.seen);
  const beta = fit.beta;
  const total = beta.reduce((a, b) => a + b, 0);
  if (!(total > 0)) {
    throw new InsufficientDataError(fn, 'no measure is associated with staying (every fitted weight is 0)', {
      available: 0,
      required: 1,
    });
  }
  const fitted = withWeights(sc, beta, total);
  const fittedSc = compileScorecard(fitted, options.signals, fn);
  const after = new Map(fittedSc.measures.map((x) => [x.id, x.nominal]));
  const { train, test } = split;
  return {
    scorecard: fitted,
    weights: sc.measures.map((cm, j) => ({
      measure: cm.id,
      before: cm.nominal,
      after: after.get(cm.id) ?? 0,
      coefficient: beta[j] as number,
    })),
    intercept: fit.intercept,
    l2: choice.keepCurrent ? null : choice.l2,
    auc: { before: aucOf(test, sc), after: aucOf(test, fittedSc) },
    trainAuc: { before: aucOf(train, sc), after: aucOf(train, fittedSc) },
    n: {
      train: train.length,
      test: test.length,
      trainChurned: split.trainChurned,
      testChurned: split.testChurned,
    },
    iterations: fit.iterations,
    warnings: runWarnings(run),
  };
}

/** Validated options of {@link suggestWeights}. */
function readOptions(
  options: SuggestWeightsOptions,
  fn: string,
): { snapshots: number[]; horizon: number; holdout: number; source: Scorecard } {
  const list = Array.isArray(options?.asOf)
    ? (options.asOf as readonly DateInput[])
    : [options?.asOf as DateInput];
  const snapshots = list.map((d, i) => requireInstant(d, fn, list.length > 1 ? `asOf[${i}]` : 'asOf'));
  const horizon = options.horizon ?? 90;
  const holdout = options.holdout ?? 0.3;
  if (typeof horizon !== 'number' || !(horizon > 0 && horizon <= 36600))
    throw optionError(fn, 'horizon', `must be a number of days in (0, 36600]`);
  if (typeof holdout !== 'number' || !(holdout > 0 && holdout < 1))
    throw optionError(fn, 'holdout', `must be in (0, 1)`);
  if (options.l2 !== undefined && !(typeof options.l2 === 'number' && options.l2 >= 0 && options.l2 <= 1e12))
    throw optionError(fn, 'l2', `must be a number from 0 to 1e12`);
  if (options.scorecard !== undefined && Object.hasOwn(options.scorecard, 'default'))
    throw optionError(fn, 'scorecard', 'must be a single scorecard, not a scorecard set');
  return { snapshots, horizon, holdout, source: options.scorecard ?? defaultScorecard };
}

interface Split {
  /** Customer ids in shuffled order (the first ones held out). */
  ids: string[];
  testIds: Set<string>;
  train: OutcomeRow[];
  test: OutcomeRow[];
  trainChurned: number;
  testChurned: number;
}

/** Seeded split by customer: sorted ids, shuffled, the first `holdout` share held out. */
function splitByCustomer(rows: OutcomeRow[], holdout: number, seed: number | string, fn: string): Split {
  const rng = createRng(seed);
  const ids = Array.from(new Set(rows.map((r) => r.customerId))).sort();
  rng.shuffle(ids);
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
  return { ids, testIds, train, test, trainChurned, testChurned };
}

/**
 * The design of the fit: `x_m = score_m / 100` per row; a measure without data (or not applicable)
 * takes the score of its nearest group that has one, which is exactly what re-spreading its weight
 * within the group does under the current weights. `seen[m]` is 1 when training observed measure m.
 */
class Features {
  readonly m: number;
  readonly seen: Float64Array;
  readonly w0: Float64Array;
  readonly #rows = new Map<OutcomeRow, Float64Array>();
  constructor(sc: CompiledScorecard, rows: OutcomeRow[], train: OutcomeRow[]) {
    const m = sc.measures.length;
    this.m = m;
    for (const r of rows) {
      const x = new Float64Array(m);
      let result: ReturnType<typeof assembleScore> | undefined;
      for (let j = 0; j < m; j++) {
        const v = r.state.table.raw[r.state.base + j] as number;
        if (!Number.isNaN(v) && r.state.table.na[j] === 0) x[j] = v / 100;
        else {
          result ??= assembleScore(r.state, r.asOf, undefined, 0);
          x[j] = imputed(sc, result, j) / 100;
        }
      }
      this.#rows.set(r, x);
    }
    this.seen = new Float64Array(m);
    for (const r of train) {
      for (let j = 0; j < m; j++) {
        if (!Number.isNaN(r.state.table.raw[r.state.base + j] as number) && r.state.table.na[j] === 0)
          this.seen[j] = 1;
      }
    }
    this.w0 = Float64Array.from(sc.measures, (cm, j) => ((this.seen[j] as number) > 0 ? cm.nominal : 0));
  }
  design(rs: OutcomeRow[]): { X: Float64Array; y: Float64Array } {
    const X = new Float64Array(rs.length * this.m);
    const y = new Float64Array(rs.length);
    rs.forEach((r, i) => {
      y[i] = r.churned ? 1 : 0;
      X.set(this.#rows.get(r) as Float64Array, i * this.m);
    });
    return { X, y };
  }
}

/**
 * l2 by 3-fold cross-validation (folds by customer): each candidate is judged by the AUC of the
 * resulting scorecard (its own missing-data handling) on the left-out fold, and the current weights
 * are a candidate too (`keepCurrent`).
 */
function chooseL2(
  f: Features,
  split: Split,
  current: CompiledScorecard,
  toScorecard: (beta: Float64Array) => CompiledScorecard | null,
): { l2: number; keepCurrent: boolean } {
  const fold = new Map<string, number>();
  split.ids
    .filter((id) => !split.testIds.has(id))
    .forEach((id, i) => {
      fold.set(id, i % 3);
    });
  const folds = [0, 1, 2].map((k) => ({
    fit: split.train.filter((r) => fold.get(r.customerId) !== k),
    val: split.train.filter((r) => fold.get(r.customerId) === k),
  }));
  let best = folds.reduce((acc, x) => acc + (aucOf(x.val, current) ?? 0.5), 0);
  let l2: number | undefined;
  let keepCurrent = true;
  for (const lambda of L2_GRID) {
    let total = 0;
    for (const x of folds) {
      const a = f.design(x.fit);
      const fitted = fitNonNegativeLogistic(a.X, a.y, x.fit.length, f.m, lambda, f.w0, f.seen);
      const card = toScorecard(fitted.beta);
      total += card === null ? 0.5 : (aucOf(x.val, card) ?? 0.5);
    }
    if (total > best + 1e-9) {
      best = total;
      l2 = lambda;
      keepCurrent = false;
    }
  }
  return { l2: l2 ?? (L2_GRID[L2_GRID.length - 1] as number), keepCurrent };
}
