/**
 * Effective weights of one customer's score: the missing-data policy, then the nominal weights
 * re-normalised over the children with data, top-down through the groups. Works in a scratch
 * object owned by the caller (one per scoring call, or one per lazily built result).
 * @module
 */
import type { CompiledGroup, CompiledMeasure } from './compileScorecard';
import type { CustomerState, GroupScore, MeasureScore } from './healthTypes';

/** Buffers of one weight computation, grown on demand. @internal */
export class WeightScratch {
  effM = new Float64Array(64);
  scoreM = new Float64Array(64);
  effG = new Float64Array(16);
  presentW = new Float64Array(16);
  contribG = new Float64Array(16);
  covG = new Float64Array(16);
  applG = new Float64Array(16);
  /** Sum of contributions in measure order (NaN when no measure has data). */
  total = 0;
  coverage = 0;
  /** Nominal weight of the measures that apply (0 when none does). */
  applicable = 0;
  /** Driver ranking buffers (impact per measure; measure indexes below / above neutral). */
  impacts = new Float64Array(64);
  readonly neg: number[] = [];
  readonly pos: number[] = [];

  ensure(nm: number, ng: number): void {
    if (this.effM.length < nm) {
      this.effM = new Float64Array(nm * 2);
      this.scoreM = new Float64Array(nm * 2);
      this.impacts = new Float64Array(nm * 2);
    }
    if (this.effG.length < ng) {
      this.effG = new Float64Array(ng * 2);
      this.presentW = new Float64Array(ng * 2);
      this.contribG = new Float64Array(ng * 2);
      this.covG = new Float64Array(ng * 2);
      this.applG = new Float64Array(ng * 2);
    }
  }
}

/** Measure scores after the missing-data policy (NaN = skipped or not applicable). */
function policyScores(st: CustomerState, w: WeightScratch): void {
  const sc = st.sc;
  const raw = st.table.raw;
  const na = st.table.na;
  for (let i = 0; i < sc.measures.length; i++) {
    const m = sc.measures[i] as CompiledMeasure;
    let s = raw[st.base + i] as number;
    if ((na[i] as number) !== 0) s = Number.NaN;
    else if (Number.isNaN(s))
      s = m.missing === 'neutral' ? sc.neutralScore : m.missing === 'poor' ? 0 : Number.NaN;
    w.scoreM[i] = s;
    w.effM[i] = 0;
  }
}

/** Bottom-up weight of the children with a score, then top-down effective weights. */
function spreadWeights(st: CustomerState, w: WeightScratch): void {
  const sc = st.sc;
  const ng = sc.groups.length;
  for (let g = ng - 1; g >= 0; g--) {
    const grp = sc.groups[g] as CompiledGroup;
    let sum = 0;
    for (const mi of grp.measures)
      if (!Number.isNaN(w.scoreM[mi] as number)) sum += (sc.measures[mi] as CompiledMeasure).weight;
    for (const ci of grp.groups)
      if ((w.presentW[ci] as number) > 0) sum += (sc.groups[ci] as CompiledGroup).weight;
    w.presentW[g] = sum;
    w.effG[g] = 0;
    w.contribG[g] = 0;
    w.covG[g] = 0;
    w.applG[g] = 0;
  }
  w.effG[0] = (w.presentW[0] as number) > 0 ? 1 : 0;
  for (let g = 0; g < ng; g++) {
    const grp = sc.groups[g] as CompiledGroup;
    const e = w.effG[g] as number;
    const denom = w.presentW[g] as number;
    if (e === 0 || denom <= 0) continue;
    for (const mi of grp.measures) {
      if (!Number.isNaN(w.scoreM[mi] as number))
        w.effM[mi] = (e * (sc.measures[mi] as CompiledMeasure).weight) / denom;
    }
    for (const ci of grp.groups) {
      if ((w.presentW[ci] as number) > 0) w.effG[ci] = (e * (sc.groups[ci] as CompiledGroup).weight) / denom;
    }
  }
}

/**
 * Effective weights of one customer into `w`: the score is the sum of `effM[i] × scoreM[i]` in
 * measure order; coverage is the share of the applicable nominal weight with real data.
 * @internal
 */
export function computeWeights(st: CustomerState, w: WeightScratch): WeightScratch {
  const sc = st.sc;
  const nm = sc.measures.length;
  w.ensure(nm, sc.groups.length);
  policyScores(st, w);
  spreadWeights(st, w);
  const raw = st.table.raw;
  const na = st.table.na;
  let total = 0;
  let covered = 0;
  let applicable = 0;
  for (let i = 0; i < nm; i++) {
    const m = sc.measures[i] as CompiledMeasure;
    const s = w.scoreM[i] as number;
    const contribution = Number.isNaN(s) ? 0 : (w.effM[i] as number) * s;
    total += contribution;
    w.contribG[m.group] = (w.contribG[m.group] as number) + contribution;
    if ((na[i] as number) !== 0) continue;
    applicable += m.nominal;
    w.applG[m.group] = (w.applG[m.group] as number) + m.nominal;
    if (!Number.isNaN(raw[st.base + i] as number)) {
      covered += m.nominal;
      w.covG[m.group] = (w.covG[m.group] as number) + m.nominal;
    }
  }
  for (let g = sc.groups.length - 1; g > 0; g--) {
    const parent = (sc.groups[g] as CompiledGroup).parent;
    w.contribG[parent] = (w.contribG[parent] as number) + (w.contribG[g] as number);
    w.covG[parent] = (w.covG[parent] as number) + (w.covG[g] as number);
    w.applG[parent] = (w.applG[parent] as number) + (w.applG[g] as number);
  }
  w.total = (w.effG[0] as number) > 0 ? total : Number.NaN;
  w.applicable = applicable;
  w.coverage = applicable > 0 ? Math.min(1, covered / applicable) : 0;
  return w;
}

function statusOf(m: CompiledMeasure, na: number, dataOk: boolean, has: boolean): MeasureScore['status'] {
  if (na !== 0) return 'not_applicable';
  if (dataOk) return 'data';
  return has ? (m.missing as 'neutral' | 'poor') : 'missing';
}

/** The measure objects from a weight computation. @internal */
export function buildMeasures(st: CustomerState, w: WeightScratch): MeasureScore[] {
  const sc = st.sc;
  const t = st.table;
  const base = st.base;
  const out: MeasureScore[] = new Array(sc.measures.length);
  for (let i = 0; i < sc.measures.length; i++) {
    const m = sc.measures[i] as CompiledMeasure;
    const s = w.scoreM[i] as number;
    const has = !Number.isNaN(s);
    const eff = has ? (w.effM[i] as number) : 0;
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
      status: statusOf(m, t.na[i] as number, !Number.isNaN(t.raw[base + i] as number), has),
      weight: m.nominal,
      effectiveWeight: eff,
      contribution: has ? eff * s : 0,
      impact: has ? eff * (s - sc.neutralScore) : 0,
      curve: m.curve.type,
      lagDays: m.lagDays > 0 ? m.lagDays : null,
      percentile: Number.isNaN(pc) ? null : pc,
      detail: Number.isNaN(ax) ? null : ax,
    };
  }
  return out;
}

/** The group objects from a weight computation. @internal */
export function buildGroups(st: CustomerState, w: WeightScratch): GroupScore[] {
  const sc = st.sc;
  const groups: GroupScore[] = [];
  for (let g = 1; g < sc.groups.length; g++) {
    const grp = sc.groups[g] as CompiledGroup;
    const e = w.effG[g] as number;
    const appl = w.applG[g] as number;
    groups.push({
      id: grp.id,
      label: grp.label,
      parent: grp.parent === 0 ? null : (sc.groups[grp.parent] as CompiledGroup).id,
      score: e > 0 ? (w.contribG[g] as number) / e : null,
      effectiveWeight: e,
      contribution: w.contribG[g] as number,
      coverage: appl > 0 ? Math.min(1, (w.covG[g] as number) / appl) : 0,
    });
  }
  return groups;
}
