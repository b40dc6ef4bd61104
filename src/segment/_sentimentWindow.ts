/**
 * Private: sentiment of one customer's feedback texts within a window. Shared by
 * `customerFeedbackSentiment` and `feedbackSentimentSignal`.
 * @module
 */
import { MS_PER_DAY } from '../_lib/time';
import type { CustomerEvent } from '../events/types';
import { fmtPct } from './_util';
import { feedbackSentiment } from './feedbackSentiment';

/** Where feedback text lives: event type and the `properties` field holding the text. */
export interface FeedbackSource {
  type: string;
  field: string;
}

/** `feedback.properties.text` and survey comments (`nps_response`, `csat_response`, `ces_response`). */
export const DEFAULT_FEEDBACK_SOURCES: readonly FeedbackSource[] = [
  { type: 'feedback', field: 'text' },
  { type: 'nps_response', field: 'comment' },
  { type: 'csat_response', field: 'comment' },
  { type: 'ces_response', field: 'comment' },
];

/** Aggregated sentiment of one customer's feedback in a window. */
export interface WindowSentiment {
  /** Texts scored (not flagged). */
  scored: number;
  /** Texts skipped as empty or not English. */
  flagged: number;
  positive: number;
  negative: number;
  /** Scored texts without any opinion word (label neutral, confidence 0); included in the mean as 0. */
  neutral: number;
  /** Mean normalised comparative of the scored texts, or null when none. */
  meanComparative: number | null;
  /** negative / scored, or null when none. */
  negativeShare: number | null;
  mostNegative: {
    text: string;
    comparative: number;
    timestamp: number;
    type: string;
    /** The scorer's sentence: the words and rules that made it negative. */
    explanation: string;
  } | null;
}

export function sentimentInWindow(
  events: readonly CustomerEvent[],
  asOf: number,
  windowDays: number,
  sources: readonly FeedbackSource[],
): WindowSentiment {
  const from = asOf - windowDays * MS_PER_DAY;
  let scored = 0;
  let flagged = 0;
  let positive = 0;
  let negative = 0;
  let neutral = 0;
  let sum = 0;
  let worst: WindowSentiment['mostNegative'] = null;
  // The same text twice within a day (an NPS comment also forwarded as a feedback event) counts once.
  let seen: Map<string, number> | null = null;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as CustomerEvent;
    if (!(e.timestamp > from && e.timestamp <= asOf) || e.properties === undefined) continue;
    for (let s = 0; s < sources.length; s++) {
      const src = sources[s] as FeedbackSource;
      if (e.type !== src.type || !Object.hasOwn(e.properties, src.field)) continue;
      const text = e.properties[src.field];
      if (typeof text !== 'string' || text.trim().length === 0) continue; // no comment: not feedback
      if (seen === null) seen = new Map();
      const prev = seen.get(text);
      seen.set(text, e.timestamp);
      if (prev !== undefined && e.timestamp - prev < MS_PER_DAY) continue;
      const r = feedbackSentiment(text);
      if (r.flag !== null) {
        flagged++;
        continue;
      }
      scored++;
      sum += r.comparative;
      if (r.label === 'positive') positive++;
      else if (r.label === 'negative') {
        negative++;
        if (worst === null || r.comparative < worst.comparative) {
          worst = {
            text,
            comparative: r.comparative,
            timestamp: e.timestamp,
            type: e.type,
            explanation: r.explanation,
          };
        }
      } else neutral++;
    }
  }
  return {
    scored,
    flagged,
    positive,
    negative,
    neutral,
    meanComparative: scored > 0 ? sum / scored : null,
    negativeShare: scored > 0 ? negative / scored : null,
    mostNegative: worst,
  };
}

/** One sentence about a window's feedback. */
export function describeWindow(w: WindowSentiment, windowDays: number): string {
  const span = `in the last ${windowDays} days`;
  if (w.scored === 0) return `no scorable feedback ${span} (${w.flagged} empty or non-English)`;
  let s = `${w.negative} of ${w.scored} feedback text${w.scored === 1 ? '' : 's'} negative ${span} (${fmtPct(w.negativeShare ?? 0)})`;
  if (w.mostNegative !== null) {
    const t = w.mostNegative.text;
    s += `; most negative: "${t.length > 80 ? `${t.slice(0, 77)}...` : t}"`;
  }
  return s;
}
