/**
 * Which measures apply to a data set: a measure whose source is absent from the whole data set (no
 * ticket anywhere) or whose comparison window reaches back before the data starts does not apply;
 * its weight is re-spread and it is left out of coverage. Decided once per scorecard and date, and
 * stated once per run as a warning.
 * @module
 */
import { fmtNumber } from '../_lib/format';
import { DATA_SOURCES, type DataSource, SOURCE_BIT, SOURCE_NOUNS, type SourceSet } from '../_lib/sources';
import { MS_PER_DAY } from '../_lib/time';
import { C } from './_signalPlan';
import type { CompiledMeasure, CompiledScorecard } from './compileScorecard';
import type { HealthWarning } from './healthTypes';

const B = SOURCE_BIT;

/** Sources a built-in signal reads (any of them makes it applicable); 0 = always applicable. @internal */
export function signalSourceMask(code: number): number {
  if (code <= C.daysSinceActivity || code === C.usageVsBaseline || code === C.activityPerUser) {
    return B.activity;
  }
  if (code <= C.medianResolutionHours) return B.support;
  if (code <= C.npsAverage) return B.nps;
  if (code === C.csatAverage) return B.csat;
  if (code === C.cesAverage) return B.ces;
  if (code === C.failedPayments) return B.billing;
  if (code === C.mrrChange || code === C.mrr) return B.subscriptions | B.billing;
  if (code === C.seats) return B.seats;
  if (code === C.csmRating) return B.csm;
  if (code >= C.daysSincePurchase) return B.purchases;
  return 0; // daysToRenewal, tenureDays: profile or first event
}

/** Not applicable because the source is absent from the data set. */
export const NA_SOURCE = 1;
/** Not applicable because the data does not reach back as far as the measure compares. */
export const NA_HISTORY = 2;

/**
 * Per measure of `sc`: 0 when it applies, {@link NA_SOURCE} or {@link NA_HISTORY} when not. The data
 * covers a window when its first event is at most one day after the window's start (the first event
 * is rarely the export's first instant).
 * @internal
 */
export function applicability(sc: CompiledScorecard, sources: SourceSet, asOf: number): Uint8Array {
  const out = new Uint8Array(sc.measures.length);
  const start = sources.firstTimestamp;
  for (const m of sc.measures) {
    if (m.sources !== 0 && (sources.mask & m.sources) === 0) out[m.index] = NA_SOURCE;
    else if (m.history > 0 && !(asOf - m.history * MS_PER_DAY >= start - MS_PER_DAY))
      out[m.index] = NA_HISTORY;
  }
  return out;
}

function sourceOf(m: CompiledMeasure): DataSource | undefined {
  return DATA_SOURCES.find((s) => (m.sources & B[s]) !== 0);
}

/** One warning per absent source and one per measure lacking history, for the run. @internal */
export function applicabilityWarnings(
  sc: CompiledScorecard,
  na: Uint8Array,
  sources: SourceSet,
  asOf: number,
  into: Map<string, HealthWarning>,
): void {
  const bySource = new Map<DataSource, string[]>();
  for (const m of sc.measures) {
    const flag = na[m.index] as number;
    if (flag === NA_SOURCE) {
      const s = sourceOf(m);
      if (s === undefined) continue;
      const list = bySource.get(s);
      if (list === undefined) bySource.set(s, [m.label]);
      else list.push(m.label);
    } else if (flag === NA_HISTORY) {
      const covered = Math.max(0, Math.floor((asOf - sources.firstTimestamp) / MS_PER_DAY));
      const key = `short_history:${sc.id}:${m.id}`;
      if (!into.has(key))
        into.set(key, {
          code: 'short_history',
          message:
            `${m.label} compares against ${fmtNumber(m.history)} days of history, but the data starts ` +
            `${fmtNumber(covered)} days before the score date: not applied (weight re-spread).`,
        });
    }
  }
  for (const [s, labels] of bySource) {
    const key = `source_absent:${s}`;
    if (into.has(key)) continue;
    into.set(key, {
      code: 'source_absent',
      message: `The data holds no ${SOURCE_NOUNS[s]}: ${labels.join(', ')} not applied (weight re-spread; not counted in coverage).`,
    });
  }
}
