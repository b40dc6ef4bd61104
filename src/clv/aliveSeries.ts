import { checkOptions, ValidationError, type ValidationIssue } from '../_lib/errors';
import type { VitalsWarning } from '../types';
import { BGNBDModel } from './BGNBDModel';
import type { ConditionalModel } from './frequencyRecencyMatrix';

/** Options of {@link aliveSeries}. */
export interface AliveSeriesOptions {
  /** Times of the customer's repeat purchases, since the first purchase (> 0, any order). */
  purchases: readonly number[];
  /** End of the series (model time units since the first purchase). */
  end: number;
  /** Spacing of the points. @default 1 */
  step?: number;
}

/** One point of the alive plot. */
export interface AlivePoint {
  t: number;
  /** Repeat purchases made in (0, t]. */
  frequency: number;
  /** P(alive at t | history up to t). */
  probabilityAlive: number;
}

/** Warning codes of {@link aliveSeries} and {@link frequencyRecencyMatrix}. */
export type AliveWarningCode = 'always_alive_without_repeat';

/** The warning both alive series give for BG/NBD (its known flaw). */
export function bgnbdAliveWarnings(model: unknown): VitalsWarning<AliveWarningCode>[] {
  return model instanceof BGNBDModel
    ? [
        {
          code: 'always_alive_without_repeat',
          message:
            'BG/NBD says P(alive) = 1 for a customer without repeat purchases however long ago they bought; use MBG/NBD or Pareto/NBD for that question.',
        },
      ]
    : [];
}

/** Result of {@link aliveSeries}. */
export interface AliveSeries {
  points: AlivePoint[];
  warnings: VitalsWarning<AliveWarningCode>[];
}

/**
 * P(alive) over time for one customer — the "alive plot" of `lifetimes` (plot_history_alive):
 * at each t = 0, step, 2·step, …, end (and at every purchase), the model's P(alive | x(t), t_x(t), t)
 * from the purchases made up to t (a purchase exactly at t counts). The curve decays between
 * purchases and jumps at each one.
 *
 * Missing-data policy: purchases after `end` are ignored; purchases must be finite and > 0.
 * Warning: `always_alive_without_repeat` for BG/NBD (P(alive) = 1 until the first repeat purchase).
 *
 * @param model a fitted BG/NBD, MBG/NBD or Pareto/NBD model (or a covariate model's customerModel).
 * @param options `purchases`, `end` (required) and `step`.
 * @returns `points` in time order, and `warnings`.
 * @throws {ValidationError} for invalid options.
 * @example
 * ```ts
 * import { aliveSeries, fitParetoNBD } from 'customer-vitals';
 * const rows = [];
 * const channel = [];
 * for (let i = 0; i < 200; i++) {
 *   const x = ((i * 7) % 5) + (i % 2);
 *   rows.push({ frequency: x, recency: x === 0 ? 0 : i % 3 === 0 ? x : 20 + ((i * 13) % 10), T: 30 + (i % 5) });
 *   channel.push(i % 2 ? 'web' : 'store');
 * }
 * const s = aliveSeries(fitParetoNBD(rows), { purchases: [3, 7], end: 20, step: 5 });
 * s.points.map((p) => [p.t, p.probabilityAlive]); // => [[0, 1], [3, 1], [5, 0.934], [7, 1], [10, 0.923], [15, 0.765], [20, 0.588]]
 * ```
 */
export function aliveSeries(model: ConditionalModel, options: AliveSeriesOptions): AliveSeries {
  const fn = 'aliveSeries';
  checkOptions(fn, options, ['purchases', 'end', 'step']);
  const o = (options ?? {}) as AliveSeriesOptions;
  const issues: ValidationIssue[] = [];
  const step = o.step ?? 1;
  if (typeof o.end !== 'number' || !(o.end >= 0) || !Number.isFinite(o.end))
    issues.push({
      path: ['end'],
      code: 'invalid_value',
      message: 'option "end" must be a finite number >= 0',
    });
  if (typeof step !== 'number' || !(step > 0) || !Number.isFinite(step))
    issues.push({
      path: ['step'],
      code: 'invalid_value',
      message: 'option "step" must be a finite number > 0',
    });
  else if (typeof o.end === 'number' && o.end / step > 100000)
    issues.push({ path: ['step'], code: 'too_big', message: 'option "step" gives more than 100,000 points' });
  if (!Array.isArray(o.purchases))
    issues.push({
      path: ['purchases'],
      code: 'not_an_array',
      message: 'option "purchases" must be an array of times',
    });
  else
    o.purchases.forEach((v, i) => {
      if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
        issues.push({
          index: i,
          path: ['purchases'],
          code: 'invalid_value',
          message: 'purchase times must be finite and > 0 (time since the first purchase)',
        });
    });
  if (typeof (model as ConditionalModel | null)?.probabilityAlive !== 'function')
    issues.push({ path: ['model'], code: 'invalid_model', message: '"model" must have probabilityAlive' });
  if (issues.length > 0) throw new ValidationError(fn, issues);
  const buys = o.purchases.filter((v) => v <= o.end).sort((a, b) => a - b);
  const times = new Set<number>();
  const n = Math.floor(o.end / step + 1e-9);
  for (let k = 0; k <= n; k++) times.add(k * step);
  times.add(o.end);
  for (const b of buys) times.add(b);
  const sorted = Array.from(times).sort((a, b) => a - b);
  const out: AlivePoint[] = [];
  let j = 0;
  let tx = 0;
  const h = { frequency: 0, recency: 0, T: 0 };
  for (const t of sorted) {
    while (j < buys.length && (buys[j] as number) <= t) {
      tx = buys[j] as number;
      j++;
    }
    h.frequency = j;
    h.recency = tx;
    h.T = t;
    const p = model.probabilityAlive(h);
    out.push({ t, frequency: j, probabilityAlive: Number.isFinite(p) ? p : 0 });
  }
  return { points: out, warnings: bgnbdAliveWarnings(model) };
}
