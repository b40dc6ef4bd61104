import { optionError, ValidationError } from '../_lib/errors';
import { fmtNumber } from '../_lib/format';
import { describeMeasure } from './_describeMeasure';
import type { HealthScore, MeasureScore } from './healthTypes';

/** The change of one measure's contribution between two scores. */
export interface MeasureChange {
  measure: string;
  label: string;
  /** Contribution before and after (0 when the measure was absent or skipped). */
  before: number;
  after: number;
  /** `after − before`; the deltas of all measures add up to the change of the computed score. */
  delta: number;
  /** Part of `delta` due to the measure's own score moving: `weightAfter × (scoreAfter − scoreBefore)`. */
  fromScore: number;
  /** Part due to its effective weight moving (other measures gaining or losing data, or the measure appearing/disappearing). */
  fromWeight: number;
  scoreBefore: number | null;
  scoreAfter: number | null;
  valueBefore: number | null;
  valueAfter: number | null;
  sentence: string;
}

/** Why a score changed between two dates. */
export interface HealthChange {
  customerId: string;
  from: number;
  to: number;
  /** Scores before/after (overrides included) and their difference. */
  before: number | null;
  after: number | null;
  delta: number | null;
  /** Difference of the computed (scorecard) scores: exactly the sum of the measure deltas. */
  computedDelta: number;
  /** Measures ranked by the size of their delta (largest first); unchanged measures left out. */
  changes: MeasureChange[];
  /** The scorecard differs between the two scores (e.g. the customer left onboarding). */
  scorecardChanged: boolean;
  summary: string;
}

/** Changes that round to 0.0 points explain nothing: they are never named as causes. */
const TINY = 0.05;

function signed(v: number): string {
  const r = Math.round(v * 10) / 10;
  if (Math.abs(v) < TINY) return 'under 0.1';
  return `${r >= 0 ? '+' : '−'}${fmtNumber(Math.abs(r))}`;
}

function afterSentence(m: MeasureScore): string {
  if (m.value === null) return `${m.label}: no data`;
  return describeMeasure(
    {
      label: m.label,
      signal: m.signal,
      days: m.days ?? undefined,
      lagDays: m.lagDays ?? 0,
      curve: { type: m.curve },
      custom: undefined,
    },
    m.value,
    m.previous,
    m.detail,
    m.percentile,
  );
}

/**
 * Attributes the change of a customer's score between two results measure by measure:
 * `delta_m = contributionAfter_m − contributionBefore_m`, split into
 * `fromScore = w_after × (s_after − s_before)` and `fromWeight = s_before × (w_after − w_before)`
 * (a measure present on one side only is all `fromWeight`). The deltas add up to the change of the
 * computed score (floating-point exact to ~1e-12); an override on either side is reported in the
 * summary, not attributed.
 *
 * Missing data: a null computed score counts as 0 contributions on that side.
 *
 * @param before the earlier {@link HealthScore} (e.g. from `healthHistory`).
 * @param after the later one, for the same customer.
 * @returns the ranked attribution with one sentence per measure.
 * @throws {ValidationError} when the two results are for different customers.
 * @example
 * ```ts
 * const c = explainChange(points[0].result, points[1].result);
 * c.summary; // => 'Score fell 12.4 points (74.1 → 61.7); main cause: Logins fell 62% (50 → 19) over the last 30 days (score 90 → 22): −8.1 points'
 * ```
 */
export function explainChange(before: HealthScore, after: HealthScore): HealthChange {
  checkInputs(before, after);
  const prev = new Map<string, MeasureScore>();
  for (const m of before.measures) prev.set(m.id, m);
  const seen = new Set<string>();
  const changes: MeasureChange[] = [];
  for (const a of after.measures) {
    seen.add(a.id);
    const c = measureChange(prev.get(a.id), a);
    if (c !== null) changes.push(c);
  }
  for (const b of before.measures) {
    if (seen.has(b.id)) continue;
    const c = measureChange(b, undefined);
    if (c !== null) changes.push(c);
  }
  changes.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || (x.measure < y.measure ? -1 : 1));
  const delta = before.score !== null && after.score !== null ? after.score - before.score : null;
  return {
    customerId: after.customerId,
    from: before.asOf,
    to: after.asOf,
    before: before.score,
    after: after.score,
    delta,
    computedDelta: (after.computedScore ?? 0) - (before.computedScore ?? 0),
    changes,
    scorecardChanged: before.scorecard !== after.scorecard,
    summary: summarise(before, after, delta, changes),
  };
}

function checkInputs(before: HealthScore, after: HealthScore): void {
  for (const [name, v] of [
    ['before', before],
    ['after', after],
  ] as const) {
    if (v === null || typeof v !== 'object' || !Array.isArray((v as HealthScore).measures)) {
      throw new ValidationError('explainChange', [
        {
          path: [name],
          code: 'invalid_type',
          message: `"${name}" must be a HealthScore (from scoreHealth or healthHistory)`,
        },
      ]);
    }
  }
  if (before.customerId !== after.customerId) {
    throw optionError(
      'explainChange',
      'after',
      `is for customer "${after.customerId}" but "before" is for "${before.customerId}"`,
    );
  }
}

/** One measure's change (null when nothing moved), with its sentence. */
function measureChange(b: MeasureScore | undefined, a: MeasureScore | undefined): MeasureChange | null {
  const cb = b?.contribution ?? 0;
  const ca = a?.contribution ?? 0;
  const delta = ca - cb;
  const sb = b?.score ?? null;
  const sa = a?.score ?? null;
  let fromScore = 0;
  if (sb !== null && sa !== null) fromScore = (a as MeasureScore).effectiveWeight * (sa - sb);
  const fromWeight = delta - fromScore;
  if (delta === 0 && fromScore === 0) return null;
  const m = (a ?? b) as MeasureScore;
  let sentence: string;
  if (a === undefined || sa === null)
    sentence = `${m.label} no longer counts (no data): ${signed(delta)} points`;
  else if (b === undefined || sb === null)
    sentence = `${afterSentence(a)}; newly counted: ${signed(delta)} points`;
  else if (Math.abs(fromScore) >= Math.abs(fromWeight)) {
    sentence = `${afterSentence(a)} (score ${fmtNumber(Math.round(sb))} → ${fmtNumber(Math.round(sa))}): ${signed(delta)} points`;
  } else {
    sentence =
      `${m.label} weight ${Math.round(b.effectiveWeight * 100)}% → ${Math.round(a.effectiveWeight * 100)}% ` +
      `as other measures gained or lost data: ${signed(delta)} points`;
  }
  return {
    measure: m.id,
    label: m.label,
    before: cb,
    after: ca,
    delta,
    fromScore,
    fromWeight,
    scoreBefore: sb,
    scoreAfter: sa,
    valueBefore: b?.value ?? null,
    valueAfter: a?.value ?? null,
    sentence,
  };
}

const r1 = (v: number): string => fmtNumber(Math.round(v * 10) / 10);

function summarise(
  before: HealthScore,
  after: HealthScore,
  delta: number | null,
  changes: MeasureChange[],
): string {
  if (delta === null) return 'No comparison: one of the two scores is null.';
  const b = before.score as number;
  const a = after.score as number;
  const dir = Math.abs(delta) < 0.05 ? 'held at' : delta < 0 ? 'fell' : 'rose';
  let summary =
    dir === 'held at'
      ? `Score held at ${r1(a)}`
      : `Score ${dir} ${r1(Math.abs(delta))} points (${r1(b)} → ${r1(a)})`;
  const main = changes.filter((c) => (delta < 0 ? c.delta <= -TINY : c.delta >= TINY)).slice(0, 2);
  if (main.length > 0)
    summary += `; main cause${main.length > 1 ? 's' : ''}: ${main.map((c) => c.sentence).join('; ')}`;
  if (before.override !== null || after.override !== null)
    summary += '; a manual override is in force on one side';
  return summary;
}
