import { ValidationError, type ValidationIssue, zodIssues } from '../_lib/errors';
import { signalSourceMask } from './_applicability';
import { checkScorecardKeys } from './_scorecardKeys';
import { buildSignalPlan, historyDays, type SignalPlan, type SignalRequest } from './_signalPlan';
import { type CustomSignal, HEALTH_SIGNALS, type HealthSignalSpec, type SignalFn } from './healthSignals';
import {
  DEFAULT_BANDS,
  type HealthBand,
  type HealthCurve,
  type HealthGroup,
  type HealthMeasure,
  type Scorecard,
  ScorecardSchema,
  type ScorecardSet,
  ScorecardSetSchema,
} from './scorecardSchema';

/** Custom signals passed next to the JSON scorecard, by the name measures use. */
export type CustomSignals = Readonly<Record<string, SignalFn | CustomSignal>>;

/** @internal */
export interface CompiledMeasure {
  index: number;
  id: string;
  label: string;
  signal: string;
  /** Built-in code, or -1 for a custom signal. */
  code: number;
  custom: CustomSignal | undefined;
  days: number | undefined;
  /** Index into the plan's requests (built-in) or into the custom list. */
  slot: number;
  curve: HealthCurve;
  missing: 'skip' | 'neutral' | 'poor';
  weight: number;
  group: number;
  /** Nominal global weight (every measure present). */
  nominal: number;
  /** Lag in days for `baseline` curves, else 0. */
  lagDays: number;
  /**
   * For a `baseline` curve on a pure count signal whose lag equals its window: the request slot of
   * the same count over twice the window (previous = count(2N) − count(N), no second pass); else -1.
   */
  prevSlot: number;
  /** Sources the measure reads (any of; bits of `SOURCE_BIT`), 0 when it always applies. */
  sources: number;
  /** Days of history before asOf the measure compares against (trends, baselines, slopes), else 0. */
  history: number;
}

/** Count signals whose value over (asOf − 2N, asOf] minus the value over (asOf − N, asOf] is the previous window's value. */
const ADDITIVE_COUNTS: ReadonlySet<string> = new Set([
  'logins',
  'activityEvents',
  'highPriorityTickets',
  'failedPayments',
]);

/** @internal */
export interface CompiledGroup {
  index: number;
  id: string;
  label: string;
  parent: number;
  weight: number;
  measures: number[];
  groups: number[];
  nominal: number;
}

/** @internal */
export interface CompiledScorecard {
  source: Scorecard;
  id: string;
  bands: readonly HealthBand[];
  lowCoverageBelow: number;
  neutralScore: number;
  /** Groups in pre-order; index 0 is the virtual root. */
  groups: CompiledGroup[];
  measures: CompiledMeasure[];
  plan: SignalPlan;
  customs: CompiledMeasure[];
  lags: number[];
  hasPercentile: boolean;
}

function toCustom(s: SignalFn | CustomSignal): CustomSignal {
  return typeof s === 'function' ? { compute: s } : s;
}

function humanise(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

type Path = (string | number)[];

/** Semantic checks of a step curve: one more point than thresholds, thresholds strictly ascending. */
function checkCurve(c: HealthCurve, at: Path, issues: ValidationIssue[]): void {
  if (c.type !== 'step') return;
  if (c.points.length !== c.thresholds.length + 1) {
    issues.push({
      path: [...at, 'curve', 'points'],
      code: 'invalid_length',
      message: `needs ${c.thresholds.length + 1} points for ${c.thresholds.length} thresholds`,
    });
  }
  for (let i = 1; i < c.thresholds.length; i++) {
    if ((c.thresholds[i] as number) <= (c.thresholds[i - 1] as number)) {
      issues.push({
        path: [...at, 'curve', 'thresholds'],
        code: 'not_ascending',
        message: 'thresholds must be strictly ascending',
      });
      return;
    }
  }
}

/** Bands: the first starts at 0 or below, minimums ascending. */
function checkBands(bands: readonly HealthBand[], issues: ValidationIssue[]): void {
  if ((bands[0] as HealthBand).min > 0) {
    issues.push({
      path: ['bands', 0, 'min'],
      code: 'invalid_band',
      message: 'the first band must start at 0 or below',
    });
  }
  for (let i = 1; i < bands.length; i++) {
    if ((bands[i] as HealthBand).min <= (bands[i - 1] as HealthBand).min) {
      issues.push({
        path: ['bands', i, 'min'],
        code: 'not_ascending',
        message: 'band minimums must be ascending',
      });
    }
  }
}

/** Nominal global weights, top-down (groups are in pre-order, so parents come first). */
function nominalWeights(groups: CompiledGroup[], measures: CompiledMeasure[]): void {
  for (const g of groups) {
    let denom = 0;
    for (const mi of g.measures) denom += (measures[mi] as CompiledMeasure).weight;
    for (const ci of g.groups) denom += (groups[ci] as CompiledGroup).weight;
    for (const mi of g.measures) {
      const m = measures[mi] as CompiledMeasure;
      m.nominal = denom > 0 ? (g.nominal * m.weight) / denom : 0;
    }
    for (const ci of g.groups) {
      const c = groups[ci] as CompiledGroup;
      c.nominal = denom > 0 ? (g.nominal * c.weight) / denom : 0;
    }
  }
}

/** Walks a parsed scorecard into compiled groups, measures and signal requests, collecting issues. */
class ScorecardCompiler {
  readonly issues: ValidationIssue[] = [];
  readonly ids = new Set<string>();
  readonly groups: CompiledGroup[];
  readonly measures: CompiledMeasure[] = [];
  readonly requests: SignalRequest[] = [];
  readonly reqKey = new Map<string, number>();
  readonly customs: CompiledMeasure[] = [];
  readonly lags = new Set<number>();
  hasPercentile = false;
  readonly signals: CustomSignals | undefined;
  constructor(rootLabel: string, signals: CustomSignals | undefined) {
    this.signals = signals;
    this.groups = [
      { index: 0, id: '', label: rootLabel, parent: -1, weight: 1, measures: [], groups: [], nominal: 1 },
    ];
  }

  uniqueId(id: string, at: Path): void {
    if (this.ids.has(id))
      this.issues.push({ path: [...at, 'id'], code: 'duplicate_id', message: `duplicate id "${id}"` });
    this.ids.add(id);
  }

  group(g: HealthGroup, parent: number, at: Path): void {
    this.uniqueId(g.id, at);
    const gi = this.groups.length;
    this.groups.push({
      index: gi,
      id: g.id,
      label: g.label ?? humanise(g.id),
      parent,
      weight: g.weight,
      measures: [],
      groups: [],
      nominal: 0,
    });
    (this.groups[parent] as CompiledGroup).groups.push(gi);
    (g.measures ?? []).forEach((m, mi) => {
      this.measure(m, gi, [...at, 'measures', mi]);
    });
    (g.groups ?? []).forEach((child, ci) => {
      this.group(child, gi, [...at, 'groups', ci]);
    });
  }

  /** The slot of a (signal code, window) request, shared between measures that ask the same. */
  request(code: number, days: number): number {
    const key = `${code}:${days}`;
    const found = this.reqKey.get(key);
    if (found !== undefined) return found;
    this.reqKey.set(key, this.requests.length);
    this.requests.push({ code, days });
    return this.requests.length - 1;
  }

  /** The measure's built-in signal and custom signal (at most one of them may exist). */
  resolveSignal(
    m: HealthMeasure,
    at: Path,
  ): { builtin: HealthSignalSpec | undefined; custom: SignalFn | CustomSignal | undefined } {
    const builtin = Object.hasOwn(HEALTH_SIGNALS, m.signal) ? HEALTH_SIGNALS[m.signal] : undefined;
    const signals = this.signals;
    const custom = signals !== undefined && Object.hasOwn(signals, m.signal) ? signals[m.signal] : undefined;
    if (builtin !== undefined && custom !== undefined) {
      this.issues.push({
        path: [...at, 'signal'],
        code: 'signal_conflict',
        message: `custom signal "${m.signal}" shadows a built-in signal`,
      });
    }
    if (builtin === undefined && custom === undefined) {
      this.issues.push({
        path: [...at, 'signal'],
        code: 'unknown_signal',
        message: `unknown signal "${m.signal}"`,
      });
    }
    return { builtin, custom };
  }

  measure(m: HealthMeasure, gi: number, at: Path): void {
    this.uniqueId(m.id, at);
    const { builtin, custom } = this.resolveSignal(m, at);
    const c = m.curve;
    checkCurve(c, at, this.issues);
    if (c.type === 'percentile') this.hasPercentile = true;
    const days = m.days ?? builtin?.defaultDays ?? undefined;
    const lagDays = c.type === 'baseline' ? (c.lagDays ?? days ?? 30) : 0;
    let slot = -1;
    let prevSlot = -1;
    if (builtin !== undefined) {
      slot = this.request(builtin.code, days ?? 0);
      if (lagDays > 0 && lagDays === days && ADDITIVE_COUNTS.has(m.signal))
        prevSlot = this.request(builtin.code, days * 2);
    }
    if (lagDays > 0 && prevSlot < 0) this.lags.add(lagDays);
    const cm: CompiledMeasure = {
      index: this.measures.length,
      id: m.id,
      label: m.label ?? humanise(m.signal),
      signal: m.signal,
      code: builtin?.code ?? -1,
      custom: builtin === undefined && custom !== undefined ? toCustom(custom) : undefined,
      days,
      slot,
      curve: c,
      missing: m.missing ?? 'skip',
      weight: m.weight,
      group: gi,
      nominal: 0,
      lagDays,
      prevSlot,
      sources: builtin === undefined ? 0 : signalSourceMask(builtin.code),
      history:
        builtin === undefined
          ? lagDays
          : Math.max(historyDays(builtin.code, days ?? 0), lagDays > 0 ? lagDays + (days ?? 0) : 0),
    };
    if (cm.custom !== undefined) {
      cm.slot = this.customs.length;
      this.customs.push(cm);
    }
    this.measures.push(cm);
    (this.groups[gi] as CompiledGroup).measures.push(cm.index);
  }
}

/**
 * Validates a scorecard (zod shape plus semantic checks) and compiles it.
 * @internal
 */
export function compileScorecard(
  input: unknown,
  signals: CustomSignals | undefined,
  fn: string,
): CompiledScorecard {
  const parsed = ScorecardSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fn, zodIssues(parsed.error), 'scorecard');
  const sc = parsed.data;
  const k = new ScorecardCompiler(sc.label ?? sc.id, signals);
  sc.groups.forEach((g, i) => {
    k.group(g, 0, ['groups', i]);
  });
  const bands = sc.bands ?? DEFAULT_BANDS;
  checkBands(bands, k.issues);
  if (k.measures.length === 0)
    k.issues.push({ path: ['groups'], code: 'empty', message: 'the scorecard has no measure' });
  if (k.issues.length > 0) throw new ValidationError(fn, k.issues, 'scorecard');
  nominalWeights(k.groups, k.measures);
  return {
    source: sc,
    id: sc.id,
    bands,
    lowCoverageBelow: sc.lowCoverageBelow ?? 0.6,
    neutralScore: sc.neutralScore ?? 50,
    groups: k.groups,
    measures: k.measures,
    plan: buildSignalPlan(k.requests, fn),
    customs: k.customs,
    lags: Array.from(k.lags).sort((a, b) => a - b),
    hasPercentile: k.hasPercentile,
  };
}

/** A scorecard set after compilation. @internal */
export interface CompiledSet {
  rules: { when: ScorecardSet['rules'][number]['when']; scorecard: CompiledScorecard }[];
  fallback: CompiledScorecard;
  all: CompiledScorecard[];
}

/** Validates and compiles a scorecard or a scorecard set. @internal */
export function compileScorecards(
  input: Scorecard | ScorecardSet | unknown,
  signals: CustomSignals | undefined,
  fn: string,
): CompiledSet {
  checkScorecardKeys(input, fn);
  if (input !== null && typeof input === 'object' && Object.hasOwn(input, 'default')) {
    const parsed = ScorecardSetSchema.safeParse(input);
    if (!parsed.success) throw new ValidationError(fn, zodIssues(parsed.error), 'scorecard set');
    const fallback = compileScorecard(parsed.data.default, signals, fn);
    const rules = parsed.data.rules.map((r) => ({
      when: r.when,
      scorecard: compileScorecard(r.scorecard, signals, fn),
    }));
    const all = [fallback, ...rules.map((r) => r.scorecard)];
    const seen = new Set<string>();
    for (const s of all) {
      if (seen.has(s.id)) {
        throw new ValidationError(
          fn,
          [{ path: ['rules'], code: 'duplicate_id', message: `duplicate scorecard id "${s.id}"` }],
          'scorecard set',
        );
      }
      seen.add(s.id);
    }
    return { rules, fallback, all };
  }
  const one = compileScorecard(input, signals, fn);
  return { rules: [], fallback: one, all: [one] };
}
