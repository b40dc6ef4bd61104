import { checkOptions, optionError, ValidationError } from '../_lib/errors';
import { fmtNumber } from '../_lib/format';
import { showValue } from '../_lib/safe';
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

const FN = 'healthAlerts';

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** A finite number, or null. */
function finiteOrNull(v: unknown): boolean {
  return v === null || (typeof v === 'number' && Number.isFinite(v));
}

/**
 * Checks the shape healthAlerts reads from each history (customerId, points with asOf, score, band
 * and a result holding measures and an explanation), so hostile input is a located error, not a
 * TypeError deep inside.
 */
function checkHistory(history: readonly unknown[]): void {
  const bad = (index: number, path: (string | number)[], message: string): ValidationError =>
    new ValidationError(FN, [{ index, path: ['history', ...path], code: 'invalid_element', message }]);
  for (let i = 0; i < history.length; i++) {
    const h = history[i];
    if (!isObj(h))
      throw bad(i, [], `each history must be an object (from healthHistory), got ${showValue(h)}`);
    if (typeof h.customerId !== 'string')
      throw bad(i, ['customerId'], `customerId must be a string, got ${showValue(h.customerId)}`);
    const pts = h.points;
    if (!Array.isArray(pts)) throw bad(i, ['points'], `points must be an array, got ${showValue(pts)}`);
    for (let j = 0; j < pts.length; j++) {
      const p: unknown = pts[j];
      const at = ['points', j];
      if (!isObj(p)) throw bad(i, at, `a history point must be an object, got ${showValue(p)}`);
      if (typeof p.asOf !== 'number' || !Number.isFinite(p.asOf))
        throw bad(i, [...at, 'asOf'], `asOf must be a finite number (epoch ms), got ${showValue(p.asOf)}`);
      if (!finiteOrNull(p.score))
        throw bad(i, [...at, 'score'], `score must be a finite number or null, got ${showValue(p.score)}`);
      if (p.band !== null && typeof p.band !== 'string')
        throw bad(i, [...at, 'band'], `band must be a string or null, got ${showValue(p.band)}`);
      const r = p.result;
      const ex = isObj(r) ? r.explanation : undefined;
      if (
        !isObj(r) ||
        !Array.isArray(r.measures) ||
        !r.measures.every(isObj) ||
        !isObj(ex) ||
        !Array.isArray(ex.negative) ||
        !Array.isArray(ex.positive)
      )
        throw bad(i, [...at, 'result'], 'result must be a health score (measures and explanation arrays)');
    }
  }
}

/** Checks the rules' fields (after checkOptions has checked the keys). */
function checkRules(rules: HealthAlertRules): void {
  const drop: unknown = rules.drop;
  if (drop !== undefined) {
    const ok =
      isObj(drop) &&
      typeof drop.points === 'number' &&
      typeof drop.withinDays === 'number' &&
      Number.isFinite(drop.points) &&
      Number.isFinite(drop.withinDays) &&
      drop.points > 0 &&
      drop.withinDays > 0;
    if (!ok) throw optionError(FN, 'drop', 'needs positive "points" and "withinDays" (finite numbers)');
  }
  const band: unknown = rules.bandChange;
  if (
    band !== undefined &&
    typeof band !== 'boolean' &&
    !(isObj(band) && Array.isArray(band.to) && band.to.every((b) => typeof b === 'string'))
  )
    throw optionError(FN, 'bandChange', `must be true, false or { to: string[] }, got ${showValue(band)}`);
  const measures: unknown = rules.measures;
  if (measures === undefined) return;
  if (!Array.isArray(measures))
    throw optionError(FN, 'measures', `must be an array of measure rules, got ${showValue(measures)}`);
  measures.forEach((m: unknown, k) => {
    const ok =
      isObj(m) &&
      typeof m.measure === 'string' &&
      (m.below === undefined || (typeof m.below === 'number' && !Number.isNaN(m.below))) &&
      (m.above === undefined || (typeof m.above === 'number' && !Number.isNaN(m.above))) &&
      (m.on === undefined || m.on === 'score' || m.on === 'value');
    if (!ok)
      throw new ValidationError(FN, [
        {
          path: ['measures', k],
          code: 'invalid_value',
          message:
            'a measure rule needs { measure: string, below?: number, above?: number, on?: "score" | "value" }',
        },
      ]);
  });
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
 * @throws {ValidationError} when `drop.points` or `drop.withinDays` is not a positive finite number,
 * a rule is malformed, or a history is not shaped like `healthHistory`'s output (located by index).
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
  checkOptions(FN, rules, ['drop', 'bandChange', 'measures']);
  if (!Array.isArray(history)) {
    throw new ValidationError(FN, [
      { path: ['history'], code: 'not_an_array', message: 'history must be the array healthHistory returns' },
    ]);
  }
  checkHistory(history);
  if (rules === undefined) return [];
  checkRules(rules);
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
