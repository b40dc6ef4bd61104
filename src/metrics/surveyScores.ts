import { checkOptions } from '../_lib/errors';
import { readEpochMs } from '../_lib/time';
import type { CustomerEvent } from '../events/types';
import { asIndex, type EventsInput } from './indexEvents';
import type { RangeOptions } from './types';

/** Survey event types whose `value` is a score. */
export type SurveyType = 'nps_response' | 'csat_response' | 'ces_response';

/**
 * Pulls the scores of one survey type out of an event array, optionally within `[from, to)`, for
 * {@link nps}, {@link csat} or {@link ces}.
 *
 * Missing data: events of the type without a finite `value` are skipped (parseEvents already
 * rejects those for the canonical survey types). No events gives an empty array.
 * * @param events validated events (any types; others are ignored) or an {@link EventIndex}.
 * @param type the survey event type.
 * @param options optional window.
 * @returns scores in input order.
 * @throws ValidationError when `from` / `to` are not valid dates.
 * @example
 * ```ts
 * nps(surveyScores(events, 'nps_response', { from: '2025-10-01', to: '2026-01-01' }));
 * ```
 */
export function surveyScores(events: EventsInput, type: SurveyType, options: RangeOptions = {}): number[] {
  checkOptions('surveyScores', options, ['from', 'to']);
  const ix = asIndex(events, 'surveyScores');
  const from = readEpochMs(options.from, 'surveyScores', 'from') ?? Number.NEGATIVE_INFINITY;
  const to = readEpochMs(options.to, 'surveyScores', 'to') ?? Number.POSITIVE_INFINITY;
  const list = ix.ofType(type);
  const out: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const e = list[i] as CustomerEvent;
    if (e.type !== type || e.timestamp < from || e.timestamp >= to) continue;
    const v = e.value;
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return out;
}
