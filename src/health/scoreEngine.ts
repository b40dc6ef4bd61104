/**
 * The scoring engine shared by scoreHealth, healthHistory, evaluateHealth and suggestWeights:
 * signals → measure scores (all customers, so percentiles can rank) → weights, contributions,
 * explanation.
 * @module
 */

import { fmtNumber } from '../_lib/format';
import { MS_PER_DAY } from '../_lib/time';
import type { CustomerEvent, CustomerProfile, CustomerTimeline } from '../events/types';
import { applyCurve } from './applyCurve';
import type { CompiledGroup, CompiledMeasure, CompiledScorecard, CompiledSet } from './compileScorecard';
import { buildSignalPlan, runSignalPass, type SignalPlan } from './computeSignals';
import { describeMeasure } from './describeMeasure';
import { type EventGroups, timelineOf } from './groupEvents';
import type { HealthBand, HealthOverride, ProfileCondition } from './scorecardSchema';

/** Status of a measure in one score. */
export type MeasureStatus = 'data' | 'neutral' | 'poor' | 'missing';

/** One measure of a customer's score. */
export interface MeasureScore {
  id: string;
  label: string;
  /** Id of the group the measure belongs to. */
  group: string;
  signal: string;
  /** Window in days, or null for signals without a window. */
  days: number | null;
  /** Raw signal value as of `asOf`, or null when there was no data. */
  value: number | null;
  /** Signal value `lagDays` earlier (baseline curves only), else null. */
  previous: number | null;
  /** 0–100 score (imputed for `neutral`/`poor`), or null when skipped. */
  score: number | null;
  /** `data`, imputed `neutral` / `poor`, or `missing` (skipped, weight re-spread). */
  status: MeasureStatus;
  /** Nominal global weight (share of the total when every measure has data). */
  weight: number;
  /** Global weight actually used (re-spread over the measures with data; sums to 1). */
  effectiveWeight: number;
  /** `effectiveWeight × score`; the contributions add up to the computed score. */
  contribution: number;
  /** `effectiveWeight × (score − neutralScore)`: points above or below a neutral score. */
  impact: number;
  /** Curve type of the measure. */
  curve: 'step' | 'linear' | 'percentile' | 'baseline';
  /** Days between the two readings of a `baseline` curve, else null. */
  lagDays: number | null;
  /** Percentile rank among peers (`percentile` curves), else null. */
  percentile: number | null;
  /** Detail used by sentences: seats (licenseUtilisation), MRR at the window start (mrrChange), earlier-window count (usageTrend), answers (averages); else null. */
  detail: number | null;
}

/** One group of a customer's score. */
export interface GroupScore {
  id: string;
  label: string;
  /** Parent group id, or null for top-level groups. */
  parent: string | null;
  /** Weighted score of the group's measures with data, or null when none had data. */
  score: number | null;
  effectiveWeight: number;
  /** Sum of the contributions of the group's measures (including nested groups). */
  contribution: number;
  /** Share of the group's nominal weight that had data. */
  coverage: number;
}

/** One driver of a score, with its sentence. */
export interface HealthDriver {
  measure: string;
  label: string;
  /** Points above (positive) or below (negative) a neutral score this measure accounts for. */
  impact: number;
  score: number;
  value: number | null;
  sentence: string;
}

/** Why a customer scored what it did. */
export interface HealthExplanation {
  /** One sentence summarising the score. */
  summary: string;
  /** Measures pulling the score down, most negative first. */
  negative: HealthDriver[];
  /** Measures pulling the score up, most positive first. */
  positive: HealthDriver[];
}

/** A manual override in force. */
export interface AppliedOverride {
  score: number;
  reason: string;
  expiresAt: number;
  /** The score the scorecard computed, which the override replaced. */
  computedScore: number | null;
}

/**
 * A customer's health score as of a date. `measures` and `groups` are built on first access from a
 * compact table (and cached), so scoring many customers stays light; `JSON.stringify` (via
 * `toJSON()`) includes them. Use `toJSON()` rather than a spread for a plain-object copy.
 */
export interface HealthScore {
  customerId: string;
  asOf: number;
  /** Id of the scorecard used. */
  scorecard: string;
  /** 0–100 (the override when one is in force), or null when no measure had data. */
  score: number | null;
  /** The scorecard's score: exactly the sum of the measure contributions. */
  computedScore: number | null;
  band: string | null;
  /** Share of the nominal weight that had data (imputed measures do not count). */
  coverage: number;
  /** Coverage below the scorecard's `lowCoverageBelow`. */
  lowCoverage: boolean;
  groups: GroupScore[];
  measures: MeasureScore[];
  explanation: HealthExplanation;
  override: AppliedOverride | null;
  /** Why the score is null, else null. */
  reason: string | null;
  /** The customer's subscription was cancelled as of `asOf` (last subscription event). */
  cancelled: boolean;
  /** A plain-object copy including `measures` and `groups`. */
  toJSON(): Omit<HealthScore, 'toJSON'>;
}

/** Signal values and raw measure scores of all customers scored with one scorecard. @internal */
export interface ScoreTable {
  /** Measures per row. */
  nm: number;
  /** Value per measure (NaN = none). */
  values: number[];
  /** Pass detail per measure. */
  aux: number[];
  /** Previous value per measure (baseline curves), NaN otherwise. */
  previous: number[];
  /** Raw curve score per measure before the missing-data policy (NaN = no data). */
  raw: number[];
  /** Percentile rank per measure (percentile curves), NaN otherwise. */
  pct: number[];
}

/** Per-customer intermediate state: a row of its scorecard's table. @internal */
export interface CustomerState {
  customerId: string;
  profile: CustomerProfile | undefined;
  sc: CompiledScorecard;
  table: ScoreTable;
  /** Offset of the customer's row in the table arrays (row × nm). */
  base: number;
  /** Index of the customer in the event groups. */
  group: number;
  cancelled: boolean;
  events: number;
}

interface BaselinePlan {
  lag: number;
  plan: SignalPlan;
  measures: CompiledMeasure[];
}

const baselineCache = new WeakMap<CompiledScorecard, BaselinePlan[]>();
const planValues = new WeakMap<SignalPlan, { v: Float64Array; a: Float64Array }>();

function baselinePlans(sc: CompiledScorecard): BaselinePlan[] {
  let out = baselineCache.get(sc);
  if (out === undefined) {
    out = sc.lags.map((lag) => {
      const measures = sc.measures.filter((m) => m.lagDays === lag && m.code >= 0 && m.prevSlot < 0);
      return {
        lag,
        measures,
        plan: buildSignalPlan(measures.map((m) => ({ code: m.code, days: m.days ?? 0 }))),
      };
    });
    baselineCache.set(sc, out);
  }
  return out;
}

function scratch(plan: SignalPlan): { v: Float64Array; a: Float64Array } {
  let s = planValues.get(plan);
  if (s === undefined) {
    s = { v: new Float64Array(plan.requests.length), a: new Float64Array(plan.requests.length) };
    planValues.set(plan, s);
  }
  return s;
}

/** Normalises profiles into a Map. @internal */
export function toProfileMap(
  profiles: readonly CustomerProfile[] | ReadonlyMap<string, CustomerProfile> | undefined,
): ReadonlyMap<string, CustomerProfile> {
  if (profiles === undefined) return new Map();
  if (profiles instanceof Map) return profiles as ReadonlyMap<string, CustomerProfile>;
  const m = new Map<string, CustomerProfile>();
  for (const p of profiles as readonly CustomerProfile[]) m.set(p.customerId, p);
  return m;
}

function inRange(v: number | undefined, r: { min?: number | undefined; max?: number | undefined }): boolean {
  if (v === undefined || Number.isNaN(v)) return false;
  return (r.min === undefined || v >= r.min) && (r.max === undefined || v < r.max);
}

/** True when the profile satisfies every field of the condition. @internal */
export function matchesCondition(
  c: ProfileCondition,
  profile: CustomerProfile | undefined,
  tenureDays: number,
): boolean {
  if (c.plan !== undefined) {
    const plans = Array.isArray(c.plan) ? c.plan : [c.plan];
    if (profile?.plan === undefined || !plans.includes(profile.plan)) return false;
  }
  if (c.tenureDays !== undefined && !inRange(tenureDays, c.tenureDays)) return false;
  if (c.mrr !== undefined && !inRange(profile?.mrr, c.mrr)) return false;
  if (c.attributes !== undefined) {
    for (const key of Object.keys(c.attributes)) {
      const want = c.attributes[key];
      const attrs = profile?.attributes;
      const have = attrs !== undefined && Object.hasOwn(attrs, key) ? attrs[key] : undefined;
      if (have === undefined) return false;
      const options = Array.isArray(want) ? want : [want];
      if (!options.includes(have)) return false;
    }
  }
  if (c.any !== undefined && !c.any.some((sub) => matchesCondition(sub, profile, tenureDays))) return false;
  return true;
}

function chooseScorecard(
  set: CompiledSet,
  firstTimestamp: number,
  profile: CustomerProfile | undefined,
  asOf: number,
): CompiledScorecard {
  if (set.rules.length === 0) return set.fallback;
  const since = profile?.signupDate ?? firstTimestamp;
  const tenure = (asOf - since) / MS_PER_DAY;
  for (const r of set.rules) if (matchesCondition(r.when, profile, tenure)) return r.scorecard;
  return set.fallback;
}

function segmentKey(segmentBy: string | undefined, profile: CustomerProfile | undefined): string {
  if (segmentBy === undefined) return '';
  if (segmentBy === 'plan') return profile?.plan ?? '';
  const attrs = profile?.attributes;
  const v = attrs !== undefined && Object.hasOwn(attrs, segmentBy) ? attrs[segmentBy] : undefined;
  return v === undefined ? '' : String(v);
}

/**
 * Computes signals and raw measure scores for every customer with an event at or before `asOf`
 * (percentile ranks included), one signal pass per timeline (plus one per baseline lag). @internal
 */
export function computeStates(
  groups: EventGroups,
  profiles: ReadonlyMap<string, CustomerProfile>,
  set: CompiledSet,
  asOf: number,
): CustomerState[] {
  const { ids, events, offsets } = groups;
  const nc = ids.length;
  // Phase 1: who is scored, with which scorecard.
  const chosen: (CompiledScorecard | undefined)[] = new Array(nc);
  const rowsPer = new Map<CompiledScorecard, number>();
  for (let r = 0; r < nc; r++) {
    const first = events[offsets[r] as number] as CustomerEvent;
    if (first.timestamp > asOf) {
      chosen[r] = undefined;
      continue;
    }
    const sc = chooseScorecard(set, first.timestamp, profiles.get(ids[r] as string), asOf);
    chosen[r] = sc;
    rowsPer.set(sc, (rowsPer.get(sc) ?? 0) + 1);
  }
  const tables = new Map<CompiledScorecard, ScoreTable>();
  for (const [sc, rows] of rowsPer) {
    const size = rows * sc.measures.length;
    tables.set(sc, {
      nm: sc.measures.length,
      // Plain double arrays (on the JS heap): large typed arrays count as external memory and
      // can force a full garbage collection of the (large) heap holding the events.
      values: new Array<number>(size).fill(Number.NaN),
      aux: new Array<number>(size).fill(Number.NaN),
      previous: new Array<number>(size).fill(Number.NaN),
      raw: new Array<number>(size).fill(Number.NaN),
      pct: new Array<number>(size).fill(Number.NaN),
    });
  }
  // Per-scorecard lookups hoisted out of the customer loop.
  const cards = Array.from(rowsPer.keys());
  const cardTable = cards.map((sc) => tables.get(sc) as ScoreTable);
  const cardScratch = cards.map((sc) => scratch(sc.plan));
  const cardBaselines = cards.map((sc) => baselinePlans(sc).filter((bp) => bp.measures.length > 0));
  const nextRow = new Int32Array(cards.length);
  const states: CustomerState[] = [];
  for (let r = 0; r < nc; r++) {
    const sc = chosen[r];
    if (sc === undefined) continue;
    const ci = cards.length === 1 ? 0 : cards.indexOf(sc);
    const customerId = ids[r] as string;
    const profile = profiles.get(customerId);
    const table = cardTable[ci] as ScoreTable;
    const row = nextRow[ci] as number;
    nextRow[ci] = row + 1;
    const nm = sc.measures.length;
    const base = row * nm;
    const lo = offsets[r] as number;
    const hi = offsets[r + 1] as number;
    const s = cardScratch[ci] as { v: Float64Array; a: Float64Array };
    const f = runSignalPass(sc.plan, events, lo, hi, profile, asOf, s.v, s.a, 0);
    const state: CustomerState = {
      customerId,
      profile,
      sc,
      table,
      base,
      group: r,
      cancelled: f.cancelled,
      events: f.events,
    };
    const { values, aux, previous, raw } = table;
    let timeline: CustomerTimeline | undefined;
    for (let i = 0; i < nm; i++) {
      const m = sc.measures[i] as CompiledMeasure;
      if (m.code >= 0) {
        const v = s.v[m.slot] as number;
        values[base + i] = v;
        aux[base + i] = s.a[m.slot] as number;
        if (m.prevSlot >= 0) previous[base + i] = (s.v[m.prevSlot] as number) - v;
      } else {
        timeline ??= timelineOf(groups, r);
        values[base + i] = customValue(m, timeline, profile, asOf);
        aux[base + i] = Number.NaN;
        if (m.lagDays > 0)
          previous[base + i] = customValue(m, timeline, profile, asOf - m.lagDays * MS_PER_DAY);
      }
    }
    const bps = cardBaselines[ci] as BaselinePlan[];
    for (let q = 0; q < bps.length; q++) {
      const bp = bps[q] as BaselinePlan;
      const ps = scratch(bp.plan);
      runSignalPass(bp.plan, events, lo, hi, profile, asOf - bp.lag * MS_PER_DAY, ps.v, ps.a, 0);
      for (let j = 0; j < bp.measures.length; j++) {
        previous[base + (bp.measures[j] as CompiledMeasure).index] = ps.v[j] as number;
      }
    }
    for (let i = 0; i < nm; i++) {
      const m = sc.measures[i] as CompiledMeasure;
      if (m.curve.type === 'percentile') {
        raw[base + i] = Number.NaN;
        continue;
      }
      const sc0 = applyCurve(m.curve, values[base + i] as number, previous[base + i] as number);
      raw[base + i] = sc0 === null ? Number.NaN : sc0;
    }
    states.push(state);
  }
  rankPercentiles(states, set);
  return states;
}

function customValue(
  m: CompiledMeasure,
  timeline: CustomerTimeline,
  profile: CustomerProfile | undefined,
  asOf: number,
): number {
  const v = (m.custom as NonNullable<CompiledMeasure['custom']>).compute(timeline, {
    asOf,
    profile,
    days: m.days,
  });
  return typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
}

/** Mid-rank percentiles within (scorecard, segment) for every percentile measure: one sort per segment. */
function rankPercentiles(states: CustomerState[], set: CompiledSet): void {
  for (const sc of set.all) {
    if (!sc.hasPercentile) continue;
    const members = states.filter((st) => st.sc === sc);
    for (const m of sc.measures) {
      if (m.curve.type !== 'percentile') continue;
      const higher = m.curve.higherIsBetter ?? true;
      const segments = new Map<string, CustomerState[]>();
      for (const st of members) {
        if (Number.isNaN(st.table.values[st.base + m.index] as number)) continue;
        const key = segmentKey(m.curve.segmentBy, st.profile);
        const list = segments.get(key);
        if (list === undefined) segments.set(key, [st]);
        else list.push(st);
      }
      for (const list of segments.values()) {
        const n = list.length;
        const vals = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const st = list[i] as CustomerState;
          vals[i] = st.table.values[st.base + m.index] as number;
        }
        // One native numeric sort per segment; each rank is then two binary searches.
        const sorted = Float64Array.from(vals).sort();
        for (let i = 0; i < n; i++) {
          const v = vals[i] as number;
          const below = lowerBound(sorted, v);
          const ties = upperBound(sorted, v) - below;
          // Mid-rank: share below plus half the ties.
          const p = n === 1 ? 50 : ((below + ties / 2) / n) * 100;
          const st = list[i] as CustomerState;
          st.table.pct[st.base + m.index] = p;
          st.table.raw[st.base + m.index] = higher ? p : 100 - p;
        }
      }
    }
  }
}

/** First index whose value is >= v in an ascending array. */
function lowerBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > v in an ascending array. */
function upperBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Band label of a score. @internal */
export function bandOf(bands: readonly HealthBand[], score: number): string {
  let label = (bands[0] as HealthBand).label;
  for (const b of bands) if (score >= b.min) label = b.label;
  return label;
}

/** Finds an override in force at `asOf`. @internal */
export function overrideAt(
  list:
    | readonly { customerId: string; score: number; reason: string; expiresAt: number; setAt: number }[]
    | undefined,
  customerId: string,
  asOf: number,
): { score: number; reason: string; expiresAt: number } | null {
  if (list === undefined) return null;
  let found: { score: number; reason: string; expiresAt: number; setAt: number } | null = null;
  for (const o of list) {
    if (o.customerId !== customerId || asOf < o.setAt || asOf >= o.expiresAt) continue;
    if (found === null || o.setAt >= found.setAt) found = o;
  }
  return found;
}

/** Overrides with epoch-ms dates. @internal */
export type ResolvedOverride = Omit<HealthOverride, 'expiresAt' | 'setAt'> & {
  expiresAt: number;
  setAt: number;
};

// Reused per-assembly buffers.
let effM = new Float64Array(64);
let scoreM = new Float64Array(64);
let effG = new Float64Array(16);
let presentW = new Float64Array(16);
let contribG = new Float64Array(16);
let covG = new Float64Array(16);

interface Totals {
  /** Sum of contributions in measure order (NaN when no measure has data). */
  total: number;
  coverage: number;
}

const totals: Totals = { total: 0, coverage: 0 };

/**
 * Effective weights of one customer into the scratch buffers `effM` / `scoreM` / `effG` /
 * `contribG` / `covG`: missing-data policy, then weights re-normalised over the children with data,
 * top-down through the groups; the score is the sum of `effM[i] × scoreM[i]` in measure order.
 */
function computeWeights(st: CustomerState): Totals {
  const sc = st.sc;
  const nm = sc.measures.length;
  const ng = sc.groups.length;
  if (effM.length < nm) {
    effM = new Float64Array(nm * 2);
    scoreM = new Float64Array(nm * 2);
  }
  if (effG.length < ng) {
    effG = new Float64Array(ng * 2);
    presentW = new Float64Array(ng * 2);
    contribG = new Float64Array(ng * 2);
    covG = new Float64Array(ng * 2);
  }
  const neutral = sc.neutralScore;
  const raw = st.table.raw;
  const base = st.base;
  for (let i = 0; i < nm; i++) {
    const m = sc.measures[i] as CompiledMeasure;
    let s = raw[base + i] as number;
    if (Number.isNaN(s)) s = m.missing === 'neutral' ? neutral : m.missing === 'poor' ? 0 : Number.NaN;
    scoreM[i] = s;
    effM[i] = 0;
  }
  // Bottom-up: weight of the children with data (groups are in pre-order; children after parents).
  for (let g = ng - 1; g >= 0; g--) {
    const grp = sc.groups[g] as CompiledGroup;
    let w = 0;
    for (const mi of grp.measures)
      if (!Number.isNaN(scoreM[mi] as number)) w += (sc.measures[mi] as CompiledMeasure).weight;
    for (const ci of grp.groups)
      if ((presentW[ci] as number) > 0) w += (sc.groups[ci] as CompiledGroup).weight;
    presentW[g] = w;
    effG[g] = 0;
    contribG[g] = 0;
    covG[g] = 0;
  }
  // Top-down: effective weights.
  effG[0] = (presentW[0] as number) > 0 ? 1 : 0;
  for (let g = 0; g < ng; g++) {
    const grp = sc.groups[g] as CompiledGroup;
    const e = effG[g] as number;
    const denom = presentW[g] as number;
    if (e === 0 || denom <= 0) continue;
    for (const mi of grp.measures) {
      if (!Number.isNaN(scoreM[mi] as number))
        effM[mi] = (e * (sc.measures[mi] as CompiledMeasure).weight) / denom;
    }
    for (const ci of grp.groups) {
      if ((presentW[ci] as number) > 0) effG[ci] = (e * (sc.groups[ci] as CompiledGroup).weight) / denom;
    }
  }
  let total = 0;
  let covered = 0;
  let nominalTotal = 0;
  for (let i = 0; i < nm; i++) {
    const m = sc.measures[i] as CompiledMeasure;
    const s = scoreM[i] as number;
    const contribution = Number.isNaN(s) ? 0 : (effM[i] as number) * s;
    total += contribution;
    contribG[m.group] = (contribG[m.group] as number) + contribution;
    nominalTotal += m.nominal;
    if (!Number.isNaN(raw[base + i] as number)) {
      covered += m.nominal;
      covG[m.group] = (covG[m.group] as number) + m.nominal;
    }
  }
  for (let g = ng - 1; g > 0; g--) {
    const parent = (sc.groups[g] as CompiledGroup).parent;
    contribG[parent] = (contribG[parent] as number) + (contribG[g] as number);
    covG[parent] = (covG[parent] as number) + (covG[g] as number);
  }
  totals.total = (effG[0] as number) > 0 ? total : Number.NaN;
  totals.coverage = nominalTotal > 0 ? Math.min(1, covered / nominalTotal) : 0;
  return totals;
}

/** Builds the measure objects from the scratch buffers filled by computeWeights. */
function buildMeasures(st: CustomerState): MeasureScore[] {
  const sc = st.sc;
  const t = st.table;
  const base = st.base;
  const neutral = sc.neutralScore;
  const nm = sc.measures.length;
  const out: MeasureScore[] = new Array(nm);
  for (let i = 0; i < nm; i++) {
    const m = sc.measures[i] as CompiledMeasure;
    const s = scoreM[i] as number;
    const has = !Number.isNaN(s);
    const eff = has ? (effM[i] as number) : 0;
    const dataOk = !Number.isNaN(t.raw[base + i] as number);
    const v = t.values[base + i] as number;
    const p = t.previous[base + i] as number;
    const ax = t.aux[base + i] as number;
    const pc = t.pct[base + i] as number;
    out[i] = {
      id: m.id,
      label: m.label,
      group: (sc.groups[m.group] as CompiledGroup).id,
      signal: m.signal,
      days: m.days ?? null,
      value: Number.isNaN(v) ? null : v,
      previous: m.lagDays > 0 && !Number.isNaN(p) ? p : null,
      score: has ? s : null,
      status: dataOk ? 'data' : has ? (m.missing as 'neutral' | 'poor') : 'missing',
      weight: m.nominal,
      effectiveWeight: eff,
      contribution: has ? eff * s : 0,
      impact: has ? eff * (s - neutral) : 0,
      curve: m.curve.type,
      lagDays: m.lagDays > 0 ? m.lagDays : null,
      percentile: Number.isNaN(pc) ? null : pc,
      detail: Number.isNaN(ax) ? null : ax,
    };
  }
  return out;
}

function buildGroups(st: CustomerState): GroupScore[] {
  const sc = st.sc;
  const groups: GroupScore[] = [];
  for (let g = 1; g < sc.groups.length; g++) {
    const grp = sc.groups[g] as CompiledGroup;
    const e = effG[g] as number;
    groups.push({
      id: grp.id,
      label: grp.label,
      parent: grp.parent === 0 ? null : (sc.groups[grp.parent] as CompiledGroup).id,
      score: e > 0 ? (contribG[g] as number) / e : null,
      effectiveWeight: e,
      contribution: contribG[g] as number,
      coverage: grp.nominal > 0 ? Math.min(1, (covG[g] as number) / grp.nominal) : 0,
    });
  }
  return groups;
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
  constructor(
    st: CustomerState,
    asOf: number,
    score: number | null,
    computed: number | null,
    band: string | null,
    coverage: number,
    explanation: HealthExplanation,
    override: AppliedOverride | null,
  ) {
    this.customerId = st.customerId;
    this.asOf = asOf;
    this.scorecard = st.sc.id;
    this.score = score;
    this.computedScore = computed;
    this.band = band;
    this.coverage = coverage;
    this.lowCoverage = coverage < st.sc.lowCoverageBelow;
    this.explanation = explanation;
    this.override = override;
    this.reason = score === null ? 'no measure of the scorecard has data' : null;
    this.cancelled = st.cancelled;
    this.#state = st;
    this.#measures = undefined;
    this.#groups = undefined;
  }
  get measures(): MeasureScore[] {
    if (this.#measures === undefined) {
      computeWeights(this.#state);
      this.#measures = buildMeasures(this.#state);
    }
    return this.#measures;
  }
  get groups(): GroupScore[] {
    if (this.#groups === undefined) {
      computeWeights(this.#state);
      this.#groups = buildGroups(this.#state);
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
 * Turns one customer's state into the explained score: effective weights (re-spread over measures
 * with data), the score as the sum of the contributions, band, coverage, drivers and sentences.
 * @internal
 */
export function assembleScore(
  st: CustomerState,
  asOf: number,
  overrides: readonly ResolvedOverride[] | undefined,
  topDrivers: number,
): HealthScore {
  const tot = computeWeights(st);
  const computed = Number.isNaN(tot.total) ? null : tot.total;
  const coverage = tot.coverage;
  const ov = overrideAt(overrides, st.customerId, asOf);
  const score = ov !== null ? ov.score : computed;
  const band = score === null ? null : bandOf(st.sc.bands, score);
  const explanation = explain(st, score, band, ov, topDrivers);
  const applied =
    ov === null
      ? null
      : { score: ov.score, reason: ov.reason, expiresAt: ov.expiresAt, computedScore: computed };
  return new HealthScoreResult(st, asOf, score, computed, band, coverage, explanation, applied);
}

const negIdx: number[] = [];
const posIdx: number[] = [];
let impacts = new Float64Array(64);

function driver(st: CustomerState, i: number): HealthDriver {
  const m = st.sc.measures[i] as CompiledMeasure;
  const t = st.table;
  const b = st.base + i;
  const s = scoreM[i] as number;
  const dataOk = !Number.isNaN(t.raw[b] as number);
  const v = t.values[b] as number;
  const value = Number.isNaN(v) ? null : v;
  let sentence: string;
  if (!dataOk) sentence = `${m.label}: no data (counted as ${m.missing})`;
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
    );
  }
  return { measure: m.id, label: m.label, impact: impacts[i] as number, score: s, value, sentence };
}

function explain(
  st: CustomerState,
  score: number | null,
  band: string | null,
  ov: { score: number; reason: string; expiresAt: number } | null,
  top: number,
): HealthExplanation {
  const sc = st.sc;
  const nm = sc.measures.length;
  if (impacts.length < nm) impacts = new Float64Array(nm * 2);
  negIdx.length = 0;
  posIdx.length = 0;
  for (let i = 0; i < nm; i++) {
    const s = scoreM[i] as number;
    const imp = Number.isNaN(s) ? 0 : (effM[i] as number) * (s - sc.neutralScore);
    impacts[i] = imp;
    if (imp < 0) negIdx.push(i);
    else if (imp > 0) posIdx.push(i);
  }
  negIdx.sort((a, b) => (impacts[a] as number) - (impacts[b] as number) || a - b);
  posIdx.sort((a, b) => (impacts[b] as number) - (impacts[a] as number) || a - b);
  const negative: HealthDriver[] = [];
  const positive: HealthDriver[] = [];
  for (let k = 0; k < negIdx.length && k < top; k++) negative.push(driver(st, negIdx[k] as number));
  for (let k = 0; k < posIdx.length && k < top; k++) positive.push(driver(st, posIdx[k] as number));
  let summary: string;
  if (score === null) summary = 'No score: none of the scorecard’s measures has data.';
  else {
    summary = `Score ${fmtNumber(Math.round(score * 10) / 10)} (${band})`;
    if (ov !== null) summary += `, set manually: ${ov.reason}`;
    else if (negative.length > 0)
      summary += `, pulled down most by: ${(negative[0] as HealthDriver).sentence}`;
    else if (positive.length > 0) summary += `, lifted most by: ${(positive[0] as HealthDriver).sentence}`;
    summary += '.';
  }
  return { summary, negative, positive };
}
