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

/**
 * One customer's window, text by text (events in their timeline order): the same text again within
 * 24 hours counts once. Fed by the event loop ({@link sentimentInWindow}) or a store's columns.
 */
export class SentimentWindowAcc {
  scored = 0;
  flagged = 0;
  positive = 0;
  negative = 0;
  neutral = 0;
  sum = 0;
  worst: WindowSentiment['mostNegative'] = null;
  // The same text twice within a day (an NPS comment also forwarded as a feedback event) counts once.
  seen: Map<string, number> | null = null;

  reset(): void {
    this.scored = 0;
    this.flagged = 0;
    this.positive = 0;
    this.negative = 0;
    this.neutral = 0;
    this.sum = 0;
    this.worst = null;
    this.seen = null;
  }

  /** Adds the property value `text` of a source event of `type` at `t` (in the window). */
  add(text: unknown, t: number, type: string): void {
    if (typeof text !== 'string' || text.trim().length === 0) return; // no comment: not feedback
    if (this.seen === null) this.seen = new Map();
    const prev = this.seen.get(text);
    this.seen.set(text, t);
    if (prev !== undefined && t - prev < MS_PER_DAY) return;
    const r = feedbackSentiment(text);
    if (r.flag !== null) {
      this.flagged++;
      return;
    }
    this.scored++;
    this.sum += r.comparative;
    if (r.label === 'positive') this.positive++;
    else if (r.label === 'negative') {
      this.negative++;
      if (this.worst === null || r.comparative < this.worst.comparative) {
        this.worst = { text, comparative: r.comparative, timestamp: t, type, explanation: r.explanation };
      }
    } else this.neutral++;
  }

  result(): WindowSentiment {
    const scored = this.scored;
    return {
      scored,
      flagged: this.flagged,
      positive: this.positive,
      negative: this.negative,
      neutral: this.neutral,
      meanComparative: scored > 0 ? this.sum / scored : null,
      negativeShare: scored > 0 ? this.negative / scored : null,
      mostNegative: this.worst,
    };
  }
}

export function sentimentInWindow(
  events: readonly CustomerEvent[],
  asOf: number,
  windowDays: number,
  sources: readonly FeedbackSource[],
): WindowSentiment {
  const from = asOf - windowDays * MS_PER_DAY;
  const acc = new SentimentWindowAcc();
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as CustomerEvent;
    const props = e.properties;
    // null: an event that did not come through parseEvents.
    if (!(e.timestamp > from && e.timestamp <= asOf) || props === undefined || props === null) continue;
    for (let s = 0; s < sources.length; s++) {
      const src = sources[s] as FeedbackSource;
      if (e.type !== src.type || !Object.hasOwn(props, src.field)) continue;
      acc.add(props[src.field], e.timestamp, e.type);
    }
  }
  return acc.result();
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
