import { checkOptions, ValidationError, type ValidationIssue } from '../_lib/errors';
import type { VitalsWarning } from '../types';
import { type AliveWarningCode, bgnbdAliveWarnings } from './aliveSeries';
import type { CustomerHistory } from './types';

/** A model with conditional predictions (BG/NBD, MBG/NBD, Pareto/NBD, or a covariate model's customerModel). */
export interface ConditionalModel {
  conditionalExpectedPurchases(t: number, h: CustomerHistory): number;
  probabilityAlive(h: CustomerHistory): number;
}

/** Options of {@link frequencyRecencyMatrix}. */
export interface FrequencyRecencyOptions {
  /** Observation length T of the hypothetical customers (model time units). */
  T: number;
  /** Horizon t of the expected purchases in (T, T+t]. @default 1 */
  t?: number;
  /** Largest frequency (rows 0..maxFrequency). @default 20 */
  maxFrequency?: number;
  /** Number of recency columns, evenly spaced on [0, T]. @default 21 */
  recencySteps?: number;
}

/** Result of {@link frequencyRecencyMatrix}: rows are frequencies, columns recencies. */
export interface FrequencyRecencyMatrix {
  frequencies: number[];
  recencies: number[];
  /** E[Y(t) | x, t_x, T]; null where the history is impossible (x = 0 with t_x > 0, or x > 0 with t_x = 0). */
  expectedPurchases: (number | null)[][];
  /** P(alive | x, t_x, T); null where impossible. */
  probabilityAlive: (number | null)[][];
  T: number;
  t: number;
  /** `always_alive_without_repeat` for BG/NBD (the x = 0 row of P(alive) is 1 by construction). */
  warnings: VitalsWarning<AliveWarningCode>[];
}

/**
 * The frequency/recency matrices of the `lifetimes` plots (plot_frequency_recency_matrix,
 * plot_probability_alive_matrix): for hypothetical customers observed for T, with x = 0..max
 * repeat purchases, the last at t_x on an even grid of [0, T], the model's E[Y(t) | x, t_x, T] and
 * P(alive | x, t_x, T), returned as data (rows = frequency, columns = recency).
 *
 * Missing-data policy: impossible cells are null, never NaN. Warning: `always_alive_without_repeat`
 * for BG/NBD.
 *
 * @param model a fitted BG/NBD, MBG/NBD or Pareto/NBD model (or `covariateModel.customerModel(...)`).
 * @param options `T` (required), horizon `t`, `maxFrequency`, `recencySteps`.
 * @returns the two matrices with their axes.
 * @throws {ValidationError} for invalid options.
 * @example
 * ```ts
 * import { fitBGNBD, frequencyRecencyMatrix } from 'customer-vitals';
 * const rows = [];
 * for (let i = 0; i < 200; i++) rows.push({ frequency: i % 4, recency: i % 4 ? 10 : 0, T: 20 });
 * const fr = frequencyRecencyMatrix(fitBGNBD(rows), { T: 20, maxFrequency: 3, recencySteps: 3 });
 * fr.recencies; // => [0, 10, 20]
 * fr.probabilityAlive[0]; // => [1, null, null] (BG/NBD: no repeat purchase means alive)
 * ```
 */
export function frequencyRecencyMatrix(
  model: ConditionalModel,
  options: FrequencyRecencyOptions,
): FrequencyRecencyMatrix {
  const fn = 'frequencyRecencyMatrix';
  checkOptions(fn, options, ['T', 't', 'maxFrequency', 'recencySteps']);
  const o = (options ?? {}) as FrequencyRecencyOptions;
  const issues: ValidationIssue[] = [];
  const T = o.T;
  const t = o.t ?? 1;
  const maxF = o.maxFrequency ?? 20;
  const steps = o.recencySteps ?? 21;
  if (typeof T !== 'number' || !(T > 0) || !Number.isFinite(T))
    issues.push({ path: ['T'], code: 'invalid_value', message: 'option "T" must be a finite number > 0' });
  if (typeof t !== 'number' || !(t >= 0) || !Number.isFinite(t))
    issues.push({ path: ['t'], code: 'invalid_value', message: 'option "t" must be a finite number >= 0' });
  if (!Number.isInteger(maxF) || maxF < 0 || maxF > 500)
    issues.push({
      path: ['maxFrequency'],
      code: 'out_of_range',
      message: 'option "maxFrequency" must be an integer in [0, 500]',
    });
  if (!Number.isInteger(steps) || steps < 2 || steps > 500)
    issues.push({
      path: ['recencySteps'],
      code: 'out_of_range',
      message: 'option "recencySteps" must be an integer in [2, 500]',
    });
  if (typeof (model as ConditionalModel | null)?.conditionalExpectedPurchases !== 'function')
    issues.push({
      path: ['model'],
      code: 'invalid_model',
      message: '"model" must have conditionalExpectedPurchases and probabilityAlive',
    });
  if (issues.length > 0) throw new ValidationError(fn, issues);
  const frequencies = Array.from({ length: maxF + 1 }, (_, i) => i);
  const recencies = Array.from({ length: steps }, (_, j) => (T * j) / (steps - 1));
  const ex: (number | null)[][] = [];
  const al: (number | null)[][] = [];
  const h = { frequency: 0, recency: 0, T };
  for (const x of frequencies) {
    const re: (number | null)[] = [];
    const ra: (number | null)[] = [];
    for (const r of recencies) {
      if ((x === 0) !== (r === 0)) {
        re.push(null);
        ra.push(null);
        continue;
      }
      h.frequency = x;
      h.recency = r;
      const e = model.conditionalExpectedPurchases(t, h);
      const a = model.probabilityAlive(h);
      re.push(Number.isFinite(e) ? e : null);
      ra.push(Number.isFinite(a) ? a : null);
    }
    ex.push(re);
    al.push(ra);
  }
  return {
    frequencies,
    recencies,
    expectedPurchases: ex,
    probabilityAlive: al,
    T,
    t,
    warnings: bgnbdAliveWarnings(model),
  };
}
