import { checkOptions, optionError } from '../_lib/errors';
import type { CustomerProfile, CustomerTimeline } from '../events/types';
import { DEFAULT_FEEDBACK_SOURCES, type FeedbackSource, sentimentInWindow } from './_sentimentWindow';

/** Options of {@link feedbackSentimentSignal}. */
export interface FeedbackSentimentSignalOptions {
  /**
   * What the signal returns: `mean` normalised comparative in [−1, 1] (higher = happier), `negativeShare`
   * in [0, 1], or `negativeCount` (number of negative texts). @default 'mean'
   */
  measure?: 'mean' | 'negativeShare' | 'negativeCount';
  /** Window in days when the caller's context gives no `days`. @default 90 */
  windowDays?: number;
  /** Where the texts are. @default feedback.text and the `comment` of nps/csat/ces responses */
  sources?: readonly FeedbackSource[];
}

/** The context a health custom signal receives (structurally the health module's `SignalContext`). */
export interface FeedbackSignalContext {
  asOf: number;
  profile?: CustomerProfile | undefined;
  /** Window in days; overrides `windowDays` when given. */
  days?: number | undefined;
}

/** A health custom signal: one number (or null for "no data") per customer as of `asOf`. */
export type FeedbackSentimentSignalFn = (
  timeline: CustomerTimeline,
  context: FeedbackSignalContext,
) => number | null;

/**
 * Feedback sentiment as a health custom signal ("negative feedback in the last 90 days"), usable as
 * `signals: { feedbackSentiment: feedbackSentimentSignal() }` in a health scorecard.
 *
 * Each call scores the customer's `feedback` texts and survey comments in (asOf − days, asOf] with
 * {@link feedbackSentiment} (the same text again within 24 hours counts once) and returns the chosen measure.
 *
 * Missing data: `mean` and `negativeShare` return null when the window holds no scorable text (none,
 * or only empty / non-English); `negativeCount` returns 0 then.
 *
 * @param options measure, default window and sources.
 * @returns `(timeline, { asOf, profile, days }) => number | null`.
 * @throws ValidationError when `windowDays` is not positive, `measure` is not one of the three, or an option is unknown.
 * @example
 * ```ts
 * const signal = feedbackSentimentSignal({ measure: 'negativeCount' });
 * signal(timelines.get('acme')!, { asOf: Date.parse('2025-06-30T00:00:00Z') }); // => 2
 * ```
 */
export function feedbackSentimentSignal(
  options: FeedbackSentimentSignalOptions = {},
): FeedbackSentimentSignalFn {
  checkOptions('feedbackSentimentSignal', options, ['measure', 'windowDays', 'sources']);
  const measure = options.measure ?? 'mean';
  const windowDays = options.windowDays ?? 90;
  if (!(windowDays > 0 && Number.isFinite(windowDays))) {
    throw optionError('feedbackSentimentSignal', 'windowDays', 'must be a positive number of days');
  }
  if (measure !== 'mean' && measure !== 'negativeShare' && measure !== 'negativeCount') {
    throw optionError('feedbackSentimentSignal', 'measure', `must be mean, negativeShare or negativeCount`);
  }
  const sources = options.sources ?? DEFAULT_FEEDBACK_SOURCES;
  return (timeline, context) => {
    const days = context.days !== undefined && context.days > 0 ? context.days : windowDays;
    const w = sentimentInWindow(timeline.events, context.asOf, days, sources);
    if (measure === 'negativeCount') return w.negative;
    if (measure === 'negativeShare') return w.negativeShare;
    return w.meanComparative;
  };
}
