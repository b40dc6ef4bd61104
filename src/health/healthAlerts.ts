import { checkOptions, optionError, ValidationError } from '../_lib/errors';
import { fmtNumber } from '../_lib/format';
import { MS_PER_DAY } from '../_lib/time';
import { explainChange } from './explainChange';
import type { CustomerHealthHistory, HealthHistoryPoint } from './healthHistory';

/** A threshold on one measure. */
export interface MeasureAlertRule {
  /** Measure id. */
  measure: string;
  /** Alert when the reading falls below this. @default none */
  below?: number;
  /** Alert when the reading rises above this. @default none */
  above?: number;
  /** Read the measure's 0–100 `score` or its raw signal `value`. @default 'score' */
  on?: 'score' | 'value';
}

/** Alert rules for {@link healthAlerts}. Omitted rules are off. */
export interface HealthAlertRules {
  /** A drop of at least `points` from the highest score of the last `withinDays` days. @default off */
  drop?: { points: number; withinDays: number };
  /** Band transitions: `true` for every change, or only transitions into the listed bands. @default off */
  bandChange?: boolean | { to: string[] };
  /** Measure thresholds. @default none */
  measures?: MeasureAlertRule[];
}

/** One alert. */
export interface HealthAlert {
  customerId: string;
  /** Date of the history point that raised the alert. */
  asOf: number;
  kind: 'drop' | 'band' | 'measure';
  /** The measure, for `measure` alerts. */
  measure: string | null;
  /** Reading before and at the alert (score, or measure reading). */
  from: number | null;
  to: number | null;
  /** Why, in one sentence with the numbers and the main causes. */
  reason: string;
}

function r1(v: number): string {
  return fmtNumber(Math.round(v * 10) / 10);
}

function measureReading(p: HealthHistoryPoint, rule: MeasureAlertRule): number | null {
  const m = p.result.measures.find((x) => x.id === rule.measure);
  if (m === undefined) return null;
  return (rule.on ?? 'score') === 'score' ? m.score : m.value;
}

function breaches(v: number | null, rule: MeasureAlertRule): boolean {
  if (v === null) return false;
  return (rule.below !== undefined && v < rule.below) || (rule.above !== undefined && v > rule.above);
}

/**
 * Scans health histories for alerts; each alert fires when its condition becomes true (not again
 * while it stays true), with its reason:
 * - `drop`: the score is at least `points` below the highest score of the previous `withinDays` days;
 *   the reason names the measures that caused the drop (via {@link explainChange}).
 * - `band`: the band differs from the previous point's band (optionally only into given bands).
 * - `measure`: a measure's score (or raw value) crosses below `below` / above `above`.
 *
 * Missing data: points with a null score raise no drop or band alert; a measure without a reading
 * raises nothing.
 *
 * @param history the output of `healthHistory`.
 * @param rules which alerts to raise.
 * @returns alerts ordered by customer, then date.
 * @throws {ValidationError} when `drop.points` or `drop.withinDays` is not positive.
 * @example
 * ```ts
 * healthAlerts(history, { drop: { points: 15, withinDays: 30 }, bandChange: { to: ['at risk'] } });
 * // => [{ customerId: 'acme', kind: 'drop', from: 74.1, to: 55.2,
 * //       reason: 'Score fell 18.9 points (74.1 → 55.2) within 30 days; main causes: ...' }, ...]
 * ```
 */
export function healthAlerts(
  history: readonly CustomerHealthHistory[],
  rules: HealthAlertRules,
): HealthAlert[] {
  checkOptions('healthAlerts', rules, ['drop', 'bandChange', 'measures']);
  if (!Array.isArray(history)) {
    throw new ValidationError('healthAlerts', [
      { path: ['history'], code: 'not_an_array', message: 'history must be the array healthHistory returns' },
    ]);
  }
  if (rules === undefined) return [];
  if (rules.drop !== undefined && !(rules.drop.points > 0 && rules.drop.withinDays > 0)) {
    throw optionError('healthAlerts', 'drop', 'needs positive "points" and "withinDays"');
  }
  const alerts: HealthAlert[] = [];
  for (const h of history) {
    const pts = h.points;
    let dropActive = false;
    const measureActive = new Map<number, boolean>();
    for (let j = 0; j < pts.length; j++) {
      if (rules.drop !== undefined) {
        const drop = dropAlert(h.customerId, pts, j, rules.drop);
        if (drop !== null && !dropActive) alerts.push(drop);
        dropActive = drop !== null;
      }
      const band = rules.bandChange ? bandAlert(h.customerId, pts, j, rules.bandChange) : null;
      if (band !== null) alerts.push(band);
      (rules.measures ?? []).forEach((rule, ri) => {
        const a = measureAlert(h.customerId, pts, j, rule);
        if (a !== null && !measureActive.get(ri)) alerts.push(a);
        measureActive.set(ri, a !== null);
      });
    }
  }
  return alerts;
}

/** The drop alert of point j (its condition holds), else null. */
function dropAlert(
  customerId: string,
  pts: readonly HealthHistoryPoint[],
  j: number,
  rule: { points: number; withinDays: number },
): HealthAlert | null {
  const p = pts[j] as HealthHistoryPoint;
  let peak: HealthHistoryPoint | undefined;
  const from = p.asOf - rule.withinDays * MS_PER_DAY;
  for (let i = j - 1; i >= 0; i--) {
    const q = pts[i] as HealthHistoryPoint;
    if (q.asOf < from) break;
    if (q.score !== null && (peak === undefined || q.score > (peak.score as number))) peak = q;
  }
  if (p.score === null || peak === undefined || (peak.score as number) - p.score < rule.points) return null;
  const change = explainChange(peak.result, p.result);
  const causes = change.changes.filter((c) => c.delta <= -0.05).slice(0, 2);
  return {
    customerId,
    asOf: p.asOf,
    kind: 'drop',
    measure: null,
    from: peak.score,
    to: p.score,
    reason:
      `Score fell ${r1((peak.score as number) - p.score)} points (${r1(peak.score as number)} → ${r1(p.score)}) ` +
      `within ${rule.withinDays} days` +
      (causes.length > 0
        ? `; main cause${causes.length > 1 ? 's' : ''}: ${causes.map((c) => c.sentence).join('; ')}`
        : ''),
  };
}

/** The band alert of point j (its band differs from the previous point's), else null. */
function bandAlert(
  customerId: string,
  pts: readonly HealthHistoryPoint[],
  j: number,
  rule: true | { to: string[] },
): HealthAlert | null {
  const p = pts[j] as HealthHistoryPoint;
  const prev = j > 0 ? (pts[j - 1] as HealthHistoryPoint) : undefined;
  if (prev === undefined || prev.band === null || p.band === null || prev.band === p.band) return null;
  if (rule !== true && !rule.to.includes(p.band)) return null;
  const top = p.result.explanation.negative[0];
  return {
    customerId,
    asOf: p.asOf,
    kind: 'band',
    measure: null,
    from: prev.score,
    to: p.score,
    reason:
      `Band changed from ${prev.band} to ${p.band} (${r1(prev.score as number)} → ${r1(p.score as number)})` +
      (top !== undefined && (p.score as number) < (prev.score as number)
        ? `; largest drag: ${top.sentence}`
        : ''),
  };
}

/** The measure alert of point j (the rule is breached there), else null. */
function measureAlert(
  customerId: string,
  pts: readonly HealthHistoryPoint[],
  j: number,
  rule: MeasureAlertRule,
): HealthAlert | null {
  const p = pts[j] as HealthHistoryPoint;
  const v = measureReading(p, rule);
  if (!breaches(v, rule)) return null;
  const prev = j > 0 ? (pts[j - 1] as HealthHistoryPoint) : undefined;
  const m = p.result.measures.find((x) => x.id === rule.measure);
  const what = (rule.on ?? 'score') === 'score' ? 'score' : 'value';
  const side =
    rule.below !== undefined && (v as number) < rule.below ? `below ${rule.below}` : `above ${rule.above}`;
  const before = prev === undefined ? null : measureReading(prev, rule);
  const driver = [...p.result.explanation.negative, ...p.result.explanation.positive].find(
    (d) => d.measure === rule.measure,
  );
  return {
    customerId,
    asOf: p.asOf,
    kind: 'measure',
    measure: rule.measure,
    from: before,
    to: v,
    reason:
      `${m?.label ?? rule.measure} ${what} is ${side} (now ${r1(v as number)}${before === null ? '' : `, was ${r1(before)}`})` +
      (driver !== undefined ? `: ${driver.sentence}` : ''),
  };
}
