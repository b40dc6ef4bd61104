import { ValidationError, type ValidationIssue, zodIssues } from '../_lib/errors';
import { signalSourceMask } from './applicability';
import { type CustomSignal, HEALTH_SIGNALS, type SignalFn } from './healthSignals';
import { checkScorecardKeys } from './scorecardKeys';
import {
  DEFAULT_BANDS,
  type HealthBand,
  type HealthCurve,
  type HealthGroup,
  type Scorecard,
  ScorecardSchema,
  type ScorecardSet,
  ScorecardSetSchema,
} from './scorecardSchema';
import { buildSignalPlan, historyDays, type SignalPlan, type SignalRequest } from './signalPlan';

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
  const issues: ValidationIssue[] = [];
  const ids = new Set<string>();
  const groups: CompiledGroup[] = [
    {
      index: 0,
      id: '',
      label: sc.label ?? sc.id,
      parent: -1,
      weight: 1,
      measures: [],
      groups: [],
      nominal: 1,
    },
  ];
  const measures: CompiledMeasure[] = [];
  const requests: SignalRequest[] = [];
  const reqKey = new Map<string, number>();
  const customs: CompiledMeasure[] = [];
  const lags = new Set<number>();
  let hasPercentile = false;

  const walk = (g: HealthGroup, parent: number, path: (string | number)[]): void => {
    if (ids.has(g.id))
      issues.push({ path: [...path, 'id'], code: 'duplicate_id', message: `duplicate id "${g.id}"` });
    ids.add(g.id);
    const gi = groups.length;
    groups.push({
      index: gi,
      id: g.id,
      label: g.label ?? humanise(g.id),
      parent,
      weight: g.weight,
      measures: [],
      groups: [],
      nominal: 0,
    });
    (groups[parent] as CompiledGroup).groups.push(gi);
    (g.measures ?? []).forEach((m, mi) => {
      const mpath = [...path, 'measures', mi];
      if (ids.has(m.id))
        issues.push({ path: [...mpath, 'id'], code: 'duplicate_id', message: `duplicate id "${m.id}"` });
      ids.add(m.id);
      const builtin = Object.hasOwn(HEALTH_SIGNALS, m.signal) ? HEALTH_SIGNALS[m.signal] : undefined;
      const customRaw =
        signals !== undefined && Object.hasOwn(signals, m.signal) ? signals[m.signal] : undefined;
      if (builtin !== undefined && customRaw !== undefined) {
        issues.push({
          path: [...mpath, 'signal'],
          code: 'signal_conflict',
          message: `custom signal "${m.signal}" shadows a built-in signal`,
        });
      }
      if (builtin === undefined && customRaw === undefined) {
        issues.push({
          path: [...mpath, 'signal'],
          code: 'unknown_signal',
          message: `unknown signal "${m.signal}"`,
        });
      }
      const c = m.curve;
      if (c.type === 'step') {
        if (c.points.length !== c.thresholds.length + 1) {
          issues.push({
            path: [...mpath, 'curve', 'points'],
            code: 'invalid_length',
            message: `needs ${c.thresholds.length + 1} points for ${c.thresholds.length} thresholds`,
          });
        }
        for (let i = 1; i < c.thresholds.length; i++) {
          if ((c.thresholds[i] as number) <= (c.thresholds[i - 1] as number)) {
            issues.push({
              path: [...mpath, 'curve', 'thresholds'],
              code: 'not_ascending',
              message: 'thresholds must be strictly ascending',
            });
            break;
          }
        }
      }
      if (c.type === 'percentile') hasPercentile = true;
      const days = m.days ?? builtin?.defaultDays ?? undefined;
      const lagDays = c.type === 'baseline' ? (c.lagDays ?? days ?? 30) : 0;
      const request = (code: number, d: number): number => {
        const key = `${code}:${d}`;
        const found = reqKey.get(key);
        if (found !== undefined) return found;
        reqKey.set(key, requests.length);
        requests.push({ code, days: d });
        return requests.length - 1;
      };
      let slot = -1;
      let prevSlot = -1;
      if (builtin !== undefined) {
        slot = request(builtin.code, days ?? 0);
        if (lagDays > 0 && lagDays === days && ADDITIVE_COUNTS.has(m.signal))
          prevSlot = request(builtin.code, days * 2);
      }
      if (lagDays > 0 && prevSlot < 0) lags.add(lagDays);
      const cm: CompiledMeasure = {
        index: measures.length,
        id: m.id,
        label: m.label ?? humanise(m.signal),
        signal: m.signal,
        code: builtin?.code ?? -1,
        custom: builtin === undefined && customRaw !== undefined ? toCustom(customRaw) : undefined,
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
        cm.slot = customs.length;
        customs.push(cm);
      }
      measures.push(cm);
      (groups[gi] as CompiledGroup).measures.push(cm.index);
    });
    (g.groups ?? []).forEach((child, ci) => {
      walk(child, gi, [...path, 'groups', ci]);
    });
  };
  sc.groups.forEach((g, i) => {
    walk(g, 0, ['groups', i]);
  });

  const bands = sc.bands ?? DEFAULT_BANDS;
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
  if (measures.length === 0)
    issues.push({ path: ['groups'], code: 'empty', message: 'the scorecard has no measure' });
  if (issues.length > 0) throw new ValidationError(fn, issues, 'scorecard');

  // Nominal global weights, top-down (groups are in pre-order, so parents come first).
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

  return {
    source: sc,
    id: sc.id,
    bands,
    lowCoverageBelow: sc.lowCoverageBelow ?? 0.6,
    neutralScore: sc.neutralScore ?? 50,
    groups,
    measures,
    plan: buildSignalPlan(requests, fn),
    customs,
    lags: Array.from(lags).sort((a, b) => a - b),
    hasPercentile,
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
