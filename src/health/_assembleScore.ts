/**
 * One customer's explained score from its state: effective weights, the score as the sum of the
 * contributions, band, coverage, drivers and sentences.
 * @module
 */
import { fmtNumber } from '../_lib/format';
import { describeMeasure } from './_describeMeasure';
import { buildGroups, buildMeasures, computeWeights, WeightScratch } from './_scoreWeights';
import type { CompiledMeasure } from './compileScorecard';
import {
  type AppliedOverride,
  type CustomerState,
  type GroupScore,
  type HealthDriver,
  type HealthExplanation,
  type HealthScore,
  INSUFFICIENT_DATA,
  type MeasureScore,
} from './healthTypes';
import type { HealthBand, HealthOverride } from './scorecardSchema';

/** Overrides with epoch-ms dates. @internal */
export type ResolvedOverride = Omit<HealthOverride, 'expiresAt' | 'setAt'> & {
  expiresAt: number;
  setAt: number;
};

/** Band label of a score. @internal */
export function bandOf(bands: readonly HealthBand[], score: number): string {
  let label = (bands[0] as HealthBand).label;
  for (const b of bands) if (score >= b.min) label = b.label;
  return label;
}

/** Finds the override in force at `asOf` (the latest set). @internal */
export function overrideAt(
  list: readonly ResolvedOverride[] | undefined,
  customerId: string,
  asOf: number,
): ResolvedOverride | null {
  if (list === undefined) return null;
  let found: ResolvedOverride | null = null;
  for (const o of list) {
    if (o.customerId !== customerId || asOf < o.setAt || asOf >= o.expiresAt) continue;
    if (found === null || o.setAt >= found.setAt) found = o;
  }
  return found;
}

/** The values a result is built from, besides the state. */
interface ScoreFields {
  asOf: number;
  score: number | null;
  computed: number | null;
  band: string | null;
  coverage: number;
  applicable: boolean;
  explanation: HealthExplanation;
  override: AppliedOverride | null;
}

/**
 * A customer's score. `measures` and `groups` are built on first access from the compact signal
 * table (and cached), so scoring 100,000 customers does not allocate two million measure objects
 * up front; `toJSON()` (and so `JSON.stringify`) includes them.
 */
class HealthScoreResult implements HealthScore {
  readonly customerId: string;
  readonly asOf: number;
  readonly scorecard: string;
  readonly score: number | null;
  readonly computedScore: number | null;
  readonly band: string | null;
  readonly coverage: number;
  readonly lowCoverage: boolean;
  readonly explanation: HealthExplanation;
  readonly override: AppliedOverride | null;
  readonly reason: string | null;
  readonly cancelled: boolean;
  #state: CustomerState;
  #measures: MeasureScore[] | undefined;
  #groups: GroupScore[] | undefined;
  constructor(st: CustomerState, f: ScoreFields) {
    this.customerId = st.customerId;
    this.asOf = f.asOf;
    this.scorecard = st.sc.id;
    this.score = f.score;
    this.computedScore = f.computed;
    this.band = f.band;
    this.coverage = f.coverage;
    this.lowCoverage = f.coverage < st.sc.lowCoverageBelow;
    this.explanation = f.explanation;
    this.override = f.override;
    this.reason =
      f.score !== null
        ? null
        : f.applicable
          ? 'no measure of the scorecard has data'
          : 'no measure of the scorecard applies to this data set';
    this.cancelled = st.cancelled;
    this.#state = st;
  }
  get measures(): MeasureScore[] {
    if (this.#measures === undefined) {
      const w = computeWeights(this.#state, new WeightScratch());
      this.#measures = buildMeasures(this.#state, w);
    }
    return this.#measures;
  }
  get groups(): GroupScore[] {
    if (this.#groups === undefined) {
      const w = computeWeights(this.#state, new WeightScratch());
      this.#groups = buildGroups(this.#state, w);
    }
    return this.#groups;
  }
  toJSON(): Omit<HealthScore, 'toJSON'> {
    return {
      customerId: this.customerId,
      asOf: this.asOf,
      scorecard: this.scorecard,
      score: this.score,
      computedScore: this.computedScore,
      band: this.band,
      coverage: this.coverage,
      lowCoverage: this.lowCoverage,
      groups: this.groups,
      measures: this.measures,
      explanation: this.explanation,
      override: this.override,
      reason: this.reason,
      cancelled: this.cancelled,
    };
  }
}

/**
 * One customer's score and band without the explanation (what ranking needs); `w` holds the
 * customer's weights afterwards. The first half of {@link assembleScore}. @internal
 */
export function scoreAndBand(
  st: CustomerState,
  asOf: number,
  overrides: readonly ResolvedOverride[] | undefined,
  w: WeightScratch,
): { computed: number | null; ov: ResolvedOverride | null; score: number | null; band: string | null } {
  computeWeights(st, w);
  const computed = Number.isNaN(w.total) ? null : w.total;
  const ov = overrideAt(overrides, st.customerId, asOf);
  const score = ov !== null ? ov.score : computed;
  let band: string | null = null;
  if (score !== null)
    band = ov === null && w.coverage < st.minCoverage ? INSUFFICIENT_DATA : bandOf(st.sc.bands, score);
  return { computed, ov, score, band };
}

/**
 * Turns one customer's state into the explained score. A score whose coverage is below the state's
 * `minCoverage` gets the band `insufficient_data` (the number is kept).
 * @internal
 */
export function assembleScore(
  st: CustomerState,
  asOf: number,
  overrides: readonly ResolvedOverride[] | undefined,
  topDrivers: number,
  w: WeightScratch = new WeightScratch(),
): HealthScore {
  const { computed, ov, score, band } = scoreAndBand(st, asOf, overrides, w);
  const coverage = w.coverage;
  const explanation = explain(st, w, score, band, coverage, ov, topDrivers);
  const override =
    ov === null
      ? null
      : { score: ov.score, reason: ov.reason, expiresAt: ov.expiresAt, computedScore: computed };
  return new HealthScoreResult(st, {
    asOf,
    score,
    computed,
    band,
    coverage,
    applicable: w.applicable > 0,
    explanation,
    override,
  });
}

function driver(st: CustomerState, w: WeightScratch, i: number): HealthDriver {
  const m = st.sc.measures[i] as CompiledMeasure;
  const t = st.table;
  const b = st.base + i;
  const v = t.values[b] as number;
  const value = Number.isNaN(v) ? null : v;
  let sentence: string;
  if (Number.isNaN(t.raw[b] as number)) sentence = `${m.label}: no data (counted as ${m.missing})`;
  else {
    const p = t.previous[b] as number;
    const ax = t.aux[b] as number;
    const pc = t.pct[b] as number;
    sentence = describeMeasure(
      m,
      value,
      m.lagDays > 0 && !Number.isNaN(p) ? p : null,
      Number.isNaN(ax) ? null : ax,
      Number.isNaN(pc) ? null : pc,
      t.coveredDays,
    );
  }
  const score = w.scoreM[i] as number;
  return { measure: m.id, label: m.label, impact: w.impacts[i] as number, score, value, sentence };
}

/** Ranks the measures by impact into `w.neg` (most negative first) and `w.pos` (most positive first). */
function rankDrivers(st: CustomerState, w: WeightScratch): void {
  const sc = st.sc;
  const neg = w.neg;
  const pos = w.pos;
  const impacts = w.impacts;
  neg.length = 0;
  pos.length = 0;
  for (let i = 0; i < sc.measures.length; i++) {
    const s = w.scoreM[i] as number;
    const imp = Number.isNaN(s) ? 0 : (w.effM[i] as number) * (s - sc.neutralScore);
    impacts[i] = imp;
    // Impacts that round to 0.0 points explain nothing: they are not drivers.
    if (imp <= -0.05) neg.push(i);
    else if (imp >= 0.05) pos.push(i);
  }
  byImpact(neg, impacts, 1);
  byImpact(pos, impacts, -1);
}

/**
 * Insertion sort of measure indexes by `dir × impact`, ties by index (the same total order as the
 * comparator sort it replaces): a scorecard has a handful of measures, and Array#sort with a
 * closure allocated a work copy per customer.
 */
function byImpact(list: number[], impacts: readonly number[] | Float64Array, dir: number): void {
  for (let i = 1; i < list.length; i++) {
    const x = list[i] as number;
    const kx = dir * (impacts[x] as number);
    let j = i - 1;
    while (j >= 0) {
      const y = list[j] as number;
      const ky = dir * (impacts[y] as number);
      if (ky < kx || (ky === kx && y < x)) break;
      list[j + 1] = y;
      j--;
    }
    list[j + 1] = x;
  }
}

function explain(
  st: CustomerState,
  w: WeightScratch,
  score: number | null,
  band: string | null,
  coverage: number,
  ov: ResolvedOverride | null,
  top: number,
): HealthExplanation {
  rankDrivers(st, w);
  const negative: HealthDriver[] = [];
  const positive: HealthDriver[] = [];
  for (let k = 0; k < w.neg.length && k < top; k++) negative.push(driver(st, w, w.neg[k] as number));
  for (let k = 0; k < w.pos.length && k < top; k++) positive.push(driver(st, w, w.pos[k] as number));
  let summary: string;
  if (score === null) {
    summary =
      w.applicable > 0
        ? 'No score: none of the scorecard’s measures has data.'
        : 'No score: none of the scorecard’s measures applies to this data set.';
  } else {
    summary = `Score ${fmtNumber(Math.round(score * 10) / 10)} (${band})`;
    if (band === INSUFFICIENT_DATA)
      summary += `: only ${Math.round(coverage * 100)}% of the applicable scorecard has data`;
    if (ov !== null) summary += `, set manually: ${ov.reason}`;
    else if (negative.length > 0)
      summary += `, pulled down most by: ${(negative[0] as HealthDriver).sentence}`;
    else if (positive.length > 0) summary += `, lifted most by: ${(positive[0] as HealthDriver).sentence}`;
    summary += '.';
  }
  return { summary, negative, positive };
}
