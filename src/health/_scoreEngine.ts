/**
 * The scoring engine shared by scoreHealth, healthHistory, evaluateHealth and suggestWeights:
 * signals → measure scores for all customers (so percentiles can rank) → per-customer states that
 * `assembleScore` turns into explained scores. All working memory lives in a {@link ScoringContext}
 * made per call.
 * @module
 */

import { snapNearTies } from '../_lib/nearTies';
import { lowerBound, upperBound } from '../_lib/search';
import type { SourceSet } from '../_lib/sources';
import { MS_PER_DAY } from '../_lib/time';
import type { CustomerProfile, CustomerTimeline } from '../events/types';
import { applicability, applicabilityWarnings } from './_applicability';
import { type EventGroups, timelineOf } from './_groupEvents';
import { chooseScorecard, segmentKey } from './_scorecardChoice';
import { WeightScratch } from './_scoreWeights';
import { runSignalPass } from './_signalPass';
import { buildSignalPlan, type SignalPlan } from './_signalPlan';
import { PassState } from './_signalState';
import { applyCurve } from './applyCurve';
import type { CompiledMeasure, CompiledScorecard, CompiledSet } from './compileScorecard';
import type { CustomerState, HealthWarning, ScoreTable } from './healthTypes';

interface BaselinePlan {
  lag: number;
  plan: SignalPlan;
  measures: CompiledMeasure[];
}

interface Slots {
  v: Float64Array;
  a: Float64Array;
}

/** The working memory and run-level facts of one scoring call. @internal */
export class ScoringContext {
  /** The signal pass's state, with tables for the ids of the columns last fitted (see {@link fitPass}). */
  pass: PassState;
  readonly weights = new WeightScratch();
  /** Sources of the whole data set (for applicability) and its first event (for history). */
  readonly sources: SourceSet;
  /** Coverage below which a band is `insufficient_data`. */
  readonly minCoverage: number;
  /** Run warnings by key (each at most once). */
  readonly warnings = new Map<string, HealthWarning>();
  /** Customers scored with a coverage below `minCoverage`, and all customers scored. */
  lowCoverage = 0;
  scored = 0;
  /** Customers scored whose scorecard has no applicable measure. */
  notApplicable = 0;
  readonly #slots = new Map<SignalPlan, Slots>();
  readonly #baselines = new Map<CompiledScorecard, BaselinePlan[]>();
  constructor(sources: SourceSet, minCoverage: number, groups: EventGroups) {
    const c = groups.cols;
    this.pass = new PassState(c.users, c.features, c.tickets);
    this.sources = sources;
    this.minCoverage = minCoverage;
  }
  /** Makes {@link pass}'s id tables big enough for `cols` (groupings of a call made range by range). */
  fitPass(cols: EventGroups['cols']): void {
    const p = this.pass;
    if (
      cols.users > p.userLast.length ||
      cols.features > p.featureLast.length ||
      cols.tickets > p.ticketOpen.length
    )
      this.pass = new PassState(
        Math.max(cols.users, p.userLast.length),
        Math.max(cols.features, p.featureLast.length),
        Math.max(cols.tickets, p.ticketOpen.length),
      );
  }
  slots(plan: SignalPlan): Slots {
    let s = this.#slots.get(plan);
    if (s === undefined) {
      s = { v: new Float64Array(plan.requests.length), a: new Float64Array(plan.requests.length) };
      this.#slots.set(plan, s);
    }
    return s;
  }
  /** Extra passes at `asOf − lag` for baseline measures whose previous value is not a window difference. */
  baselines(sc: CompiledScorecard): BaselinePlan[] {
    let out = this.#baselines.get(sc);
    if (out === undefined) {
      out = sc.lags
        .map((lag) => {
          const measures = sc.measures.filter((m) => m.lagDays === lag && m.code >= 0 && m.prevSlot < 0);
          const plan = buildSignalPlan(measures.map((m) => ({ code: m.code, days: m.days ?? 0 })));
          return { lag, measures, plan };
        })
        .filter((bp) => bp.measures.length > 0);
      this.#baselines.set(sc, out);
    }
    return out;
  }
}

/** Who is scored at `asOf` (first event at or before it), with which scorecard. */
function chooseCards(
  groups: EventGroups,
  profiles: ReadonlyMap<string, CustomerProfile>,
  set: CompiledSet,
  asOf: number,
): { chosen: (CompiledScorecard | undefined)[]; rows: Map<CompiledScorecard, number> } {
  const { ids, offsets } = groups;
  const ts = groups.cols.ts;
  const chosen: (CompiledScorecard | undefined)[] = new Array(ids.length);
  const rows = new Map<CompiledScorecard, number>();
  for (let r = 0; r < ids.length; r++) {
    const first = ts[offsets[r] as number] as number;
    if (first > asOf) continue;
    const sc = chooseScorecard(set, first, profiles.get(ids[r] as string), asOf);
    chosen[r] = sc;
    rows.set(sc, (rows.get(sc) ?? 0) + 1);
  }
  return { chosen, rows };
}

/** An all-NaN score table for `rows` customers of `sc` (shared with the SQL-row path). @internal */
export function newTable(
  sc: CompiledScorecard,
  rows: number,
  na: Uint8Array,
  coveredDays: number,
): ScoreTable {
  const size = rows * sc.measures.length;
  // Plain double arrays (on the JS heap): large typed arrays count as external memory and can
  // force a full garbage collection of the (large) heap holding the events. `fill` turns a fresh
  // array into doubles by copying it; `slice` of a double array copies once.
  const values = new Array<number>(size).fill(Number.NaN);
  return {
    nm: sc.measures.length,
    values,
    aux: values.slice(),
    previous: values.slice(),
    raw: values.slice(),
    pct: values.slice(),
    na,
    coveredDays,
  };
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

/** Fills one customer's row: built-in values from the pass, custom values, baselines, raw scores. */
function fillRow(ctx: ScoringContext, groups: EventGroups, st: CustomerState, asOf: number, s: Slots): void {
  const sc = st.sc;
  const { values, aux, previous, raw } = st.table;
  const base = st.base;
  const lo = groups.offsets[st.group] as number;
  const hi = groups.offsets[st.group + 1] as number;
  let timeline: CustomerTimeline | undefined;
  for (let i = 0; i < sc.measures.length; i++) {
    const m = sc.measures[i] as CompiledMeasure;
    if (m.code >= 0) {
      const v = s.v[m.slot] as number;
      values[base + i] = v;
      aux[base + i] = s.a[m.slot] as number;
      if (m.prevSlot >= 0) previous[base + i] = (s.v[m.prevSlot] as number) - v;
    } else {
      timeline ??= timelineOf(groups, st.group);
      values[base + i] = customValue(m, timeline, st.profile, asOf);
      if (m.lagDays > 0)
        previous[base + i] = customValue(m, timeline, st.profile, asOf - m.lagDays * MS_PER_DAY);
    }
  }
  for (const bp of ctx.baselines(sc)) {
    const ps = ctx.slots(bp.plan);
    const at = asOf - bp.lag * MS_PER_DAY;
    runSignalPass(bp.plan, ctx.pass, groups.cols, lo, hi, st.profile, at, ps.v, ps.a, 0);
    for (let j = 0; j < bp.measures.length; j++) {
      previous[base + (bp.measures[j] as CompiledMeasure).index] = ps.v[j] as number;
    }
  }
  for (let i = 0; i < sc.measures.length; i++) {
    const m = sc.measures[i] as CompiledMeasure;
    if (m.curve.type === 'percentile') continue;
    const v = applyCurve(m.curve, values[base + i] as number, previous[base + i] as number);
    raw[base + i] = v === null ? Number.NaN : v;
  }
}

/**
 * Computes signals and raw measure scores for every customer with an event at or before `asOf`
 * (percentile ranks included unless `rank` is false: a caller scoring batches ranks them all at
 * the end), one signal pass per timeline (plus one per baseline lag), and records the run's
 * applicability warnings in `ctx`. @internal
 */
export function computeStates(
  groups: EventGroups,
  profiles: ReadonlyMap<string, CustomerProfile>,
  set: CompiledSet,
  asOf: number,
  ctx: ScoringContext,
  rank = true,
): CustomerState[] {
  const { ids, offsets } = groups;
  ctx.fitPass(groups.cols);
  const { chosen, rows } = chooseCards(groups, profiles, set, asOf);
  const tables = new Map<CompiledScorecard, ScoreTable>();
  for (const [sc, n] of rows) {
    const na = applicability(sc, ctx.sources, asOf);
    applicabilityWarnings(sc, na, ctx.sources, asOf, ctx.warnings);
    const covered = Math.max(0, Math.floor((asOf - ctx.sources.firstTimestamp) / MS_PER_DAY));
    tables.set(sc, newTable(sc, n, na, covered));
  }
  const nextRow = new Map<CompiledScorecard, number>();
  const states: CustomerState[] = [];
  for (let r = 0; r < ids.length; r++) {
    const sc = chosen[r];
    if (sc === undefined) continue;
    const row = nextRow.get(sc) ?? 0;
    nextRow.set(sc, row + 1);
    const customerId = ids[r] as string;
    const profile = profiles.get(customerId);
    const s = ctx.slots(sc.plan);
    const lo = offsets[r] as number;
    const hi = offsets[r + 1] as number;
    const f = runSignalPass(sc.plan, ctx.pass, groups.cols, lo, hi, profile, asOf, s.v, s.a, 0);
    const state: CustomerState = {
      customerId,
      profile,
      sc,
      table: tables.get(sc) as ScoreTable,
      base: row * sc.measures.length,
      group: r,
      cancelled: f.cancelled,
      events: f.events,
      minCoverage: ctx.minCoverage,
    };
    fillRow(ctx, groups, state, asOf, s);
    states.push(state);
  }
  if (rank) rankPercentiles(states, set);
  return states;
}

/** Mid-rank percentiles of one segment's values into its states' `pct` and `raw`. */
function rankSegment(list: CustomerState[], m: CompiledMeasure, higher: boolean): void {
  const n = list.length;
  const vals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const st = list[i] as CustomerState;
    vals[i] = st.table.values[st.base + m.index] as number;
  }
  // Values that differ only by floating-point rounding are ties (see _lib/nearTies), so equal
  // spends rank equally whichever order they were summed in (JS running totals, exact SQL sums).
  const snapped = snapNearTies(vals);
  // One native numeric sort per segment; each rank is then two binary searches.
  const sorted = Float64Array.from(snapped).sort();
  for (let i = 0; i < n; i++) {
    const v = snapped[i] as number;
    const below = lowerBound(sorted, v);
    const ties = upperBound(sorted, v) - below;
    // Mid-rank: share below plus half the ties.
    const p = n === 1 ? 50 : ((below + ties / 2) / n) * 100;
    const st = list[i] as CustomerState;
    st.table.pct[st.base + m.index] = p;
    st.table.raw[st.base + m.index] = higher ? p : 100 - p;
  }
}

/** Mid-rank percentiles within (scorecard, segment) for every percentile measure. @internal (also used by sql/scoreHealthFromRows) */
export function rankPercentiles(states: CustomerState[], set: CompiledSet): void {
  for (const sc of set.all) {
    if (!sc.hasPercentile) continue;
    const members = states.filter((st) => st.sc === sc);
    for (const m of sc.measures) {
      if (m.curve.type !== 'percentile') continue;
      const segments = new Map<string, CustomerState[]>();
      for (const st of members) {
        if (Number.isNaN(st.table.values[st.base + m.index] as number)) continue;
        const key = segmentKey(m.curve.segmentBy, st.profile);
        const list = segments.get(key);
        if (list === undefined) segments.set(key, [st]);
        else list.push(st);
      }
      for (const list of segments.values()) rankSegment(list, m, m.curve.higherIsBetter ?? true);
    }
  }
}
