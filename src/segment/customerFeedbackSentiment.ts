import { checkOptions, optionError } from '../_lib/errors';
import { type DateInput, MS_PER_DAY, requireEpochMs } from '../_lib/time';
import { groupByCustomer } from '../events/groupByCustomer';
import type { CustomerEvent, CustomerTimelines } from '../events/types';
import type { EventStore } from '../store/EventStore';
import { requireEventsInput, timelineEvents } from './_input';
import {
  DEFAULT_FEEDBACK_SOURCES,
  describeWindow,
  type FeedbackSource,
  SentimentWindowAcc,
  sentimentInWindow,
  type WindowSentiment,
} from './_sentimentWindow';
import { isCheckedStore, StorePropReader } from './_storeInput';

/** Options of {@link customerFeedbackSentiment}. */
export interface CustomerFeedbackSentimentOptions {
  /** End of the window (inclusive). */
  asOf: DateInput;
  /** Window length in days, ending at `asOf`. @default 90 */
  windowDays?: number;
  /** Where the texts are. @default feedback.text and the `comment` of nps/csat/ces responses */
  sources?: readonly FeedbackSource[];
}

/** One customer's feedback sentiment over the window. */
export interface CustomerFeedbackSentiment extends WindowSentiment {
  customerId: string;
  reason: string;
}

const FN = 'customerFeedbackSentiment';

/**
 * Per-customer sentiment of free-text feedback over a window: every `feedback` text and survey comment
 * in (asOf − windowDays, asOf] is scored with {@link feedbackSentiment} (the same text again within 24 hours,
 * e.g. an NPS comment also sent as a `feedback` event, counts once); the result counts positive and
 * negative texts, averages the normalised comparative and keeps the most negative text.
 *
 * Missing data: customers without any text in the window are absent from the Map; texts that are
 * empty or not English are counted in `flagged` and not scored, so a customer with only flagged texts
 * has `meanComparative: null` and `negativeShare: null`.
 *
 * Given an `EventStore`, texts are read from its `text` / `comment` dictionary columns (other source
 * fields from the properties it kept with `keepProperties`), no event object is built, and the
 * result is that of the store's events.
 *
 * @param events events, timelines or an `EventStore`.
 * @param options window and sources.
 * @returns a Map from customer id to {@link CustomerFeedbackSentiment} (ascending id order).
 * @throws ValidationError when `windowDays` is not positive, `asOf` is missing or invalid, or an option is unknown.
 * @example
 * ```ts
 * customerFeedbackSentiment(events, { asOf: '2025-06-30' }).get('acme');
 * // => { customerId: 'acme', scored: 3, flagged: 0, positive: 1, negative: 2, meanComparative: -0.182, negativeShare: 0.667, mostNegative: {...}, reason: '2 of 3 feedback texts negative in the last 90 days (67%); most negative: "..."' }
 * ```
 */
export function customerFeedbackSentiment(
  events: readonly CustomerEvent[] | CustomerTimelines | EventStore,
  options: CustomerFeedbackSentimentOptions,
): Map<string, CustomerFeedbackSentiment> {
  checkOptions(FN, options, ['asOf', 'windowDays', 'sources']);
  const o: Partial<CustomerFeedbackSentimentOptions> = options ?? {};
  const asOf = requireEpochMs(o.asOf, FN, 'asOf');
  const store = isCheckedStore(FN, events) ? events : null;
  if (store === null) requireEventsInput(FN, events);
  const windowDays = o.windowDays ?? 90;
  if (!(windowDays > 0 && Number.isFinite(windowDays))) {
    throw optionError(FN, 'windowDays', 'must be a positive number of days');
  }
  const sources = o.sources ?? DEFAULT_FEEDBACK_SOURCES;
  if (store !== null) return storeSentiment(store, asOf, windowDays, sources);
  const timelines = Array.isArray(events)
    ? groupByCustomer(events as readonly CustomerEvent[])
    : (events as CustomerTimelines);
  const out = new Map<string, CustomerFeedbackSentiment>();
  for (const [id, tl] of timelines) {
    const w = sentimentInWindow(timelineEvents(FN, id, tl), asOf, windowDays, sources);
    if (w.scored + w.flagged === 0) continue;
    out.set(id, { customerId: id, ...w, reason: describeWindow(w, windowDays) });
  }
  return out;
}

/**
 * The store path: each customer's rows in the window, per source whose type matches, the text read
 * from the source field's dictionary column (in row order, as the event loop reads the timeline).
 */
function storeSentiment(
  store: EventStore,
  asOf: number,
  windowDays: number,
  sources: readonly FeedbackSource[],
): Map<string, CustomerFeedbackSentiment> {
  const out = new Map<string, CustomerFeedbackSentiment>();
  const { time, typeCode, offsets, types } = store;
  const srcType = Int32Array.from(sources, (src) => types.indexOf(src.type));
  let any = false;
  for (let s = 0; s < srcType.length; s++) if ((srcType[s] as number) >= 0) any = true;
  if (!any) return out;
  const readers = sources.map((src, s) =>
    (srcType[s] as number) >= 0 ? new StorePropReader(FN, store, src.field) : null,
  );
  const from = asOf - windowDays * MS_PER_DAY;
  const acc = new SentimentWindowAcc();
  for (let c = 0; c < store.customerIds.length; c++) {
    acc.reset();
    const end = offsets[c + 1] as number;
    for (let i = offsets[c] as number; i < end; i++) {
      const t = time[i] as number;
      if (!(t > from && t <= asOf)) continue;
      const k = typeCode[i] as number;
      for (let s = 0; s < srcType.length; s++) {
        if (srcType[s] !== k) continue;
        const text = (readers[s] as StorePropReader).at(i);
        if (text !== undefined) acc.add(text, t, types[k] as string);
      }
    }
    if (acc.scored + acc.flagged === 0) continue;
    const id = store.customerIds[c] as string;
    const w = acc.result();
    out.set(id, { customerId: id, ...w, reason: describeWindow(w, windowDays) });
  }
  return out;
}
