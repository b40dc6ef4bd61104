import { didYouMean } from '../_lib/closest';
import { checkOptions, ValidationError } from '../_lib/errors';
import { readEpochMs } from '../_lib/time';
import { asIndex, type EventsInput } from './indexEvents';
import type { RangeOptions } from './types';

/** Survey event types whose `value` is a score. */
export type SurveyType = 'nps_response' | 'csat_response' | 'ces_response';

const SURVEY_TYPES: readonly string[] = ['nps_response', 'csat_response', 'ces_response'];

/**
 * Pulls the scores of one survey type out of an event array, optionally within `[from, to)`, for
 * {@link nps}, {@link csat} or {@link ces}.
 *
 * Missing data: events of the type without a finite `value` are skipped (parseEvents already
 * rejects those for the canonical survey types). No events gives an empty array.
 * @param events validated events (any types; others are ignored), an `EventStore` or an {@link EventIndex}.
 * @param type the survey event type.
 * @param options optional window.
 * @returns scores in index order (input order; a store's row order).
 * @throws ValidationError when `type` is not a survey type or `from` / `to` are not valid dates.
 * @example
 * ```ts
 * nps(surveyScores(events, 'nps_response', { from: '2025-10-01', to: '2026-01-01' }));
 * ```
 */
export function surveyScores(events: EventsInput, type: SurveyType, options: RangeOptions = {}): number[] {
  checkOptions('surveyScores', options, ['from', 'to']);
  checkSurveyType(type);
  const ix = asIndex(events, 'surveyScores');
  const from = readEpochMs(options.from, 'surveyScores', 'from') ?? Number.NEGATIVE_INFINITY;
  const to = readEpochMs(options.to, 'surveyScores', 'to') ?? Number.POSITIVE_INFINITY;
  const cols = ix.typeColumns([type]);
  const out: number[] = [];
  for (let j = 0; j < cols.size; j++) {
    const t = cols.time[j] as number;
    if (t < from || t >= to) continue;
    const v = cols.value[j] as number;
    if (!Number.isNaN(v)) out.push(v);
  }
  return out;
}

function checkSurveyType(type: unknown): void {
  if (typeof type === 'string' && SURVEY_TYPES.includes(type)) return;
  const shown = typeof type === 'string' ? `"${type.slice(0, 50)}"` : type === null ? 'null' : typeof type;
  const hint = typeof type === 'string' ? didYouMean(type.slice(0, 200), SURVEY_TYPES) : '';
  throw new ValidationError('surveyScores', [
    {
      path: ['type'],
      code: 'invalid_value',
      message: `type must be one of ${SURVEY_TYPES.join(', ')}, got ${shown}${hint}`,
    },
  ]);
}
