import { checkOptions, ValidationError } from '../_lib/errors';
import { type DateInput, requireEpochMs } from '../_lib/time';
import type { CustomerEvent, CustomerTimeline } from '../events/types';
import { ACTIVITY_TYPES } from '../events/vocabulary';
import { isEventStore } from '../store/EventStore';
import { requireOptions } from './_args';
import { LabelState, labelFlags, storeLabels } from './_storeLabels';
import { type ChurnHorizon, horizonEnd } from './horizonEnd';
import { type EventsOrTimelines, toChurnSource } from './toTimelines';

/** How churn is defined. */
export type ChurnDefinition = 'contractual' | 'non-contractual' | 'auto';

/** Options of {@link churnLabels}. */
export interface ChurnLabelsOptions {
  /** The prediction instant: customers active just before it are labelled by what happens after it. */
  asOf: DateInput;
  /** Length of the outcome window `(asOf, asOf + horizon]`: days, or `{ days, weeks, months }`. */
  horizon: ChurnHorizon;
  /**
   * `contractual`: churned = a `subscription_cancelled` in the window; active = subscribed at asOf.
   * `non-contractual`: churned = no event of `activityTypes` in the window; active = at least one
   * such event before asOf (within `activeWithinDays`). `auto`: contractual for customers with any
   * `subscription_*` event before asOf, non-contractual for the others.
   * @default 'auto'
   */
  definition?: ChurnDefinition;
  /** Non-contractual: the event types that count as "still a customer". @default ['purchase', 'login', 'session', 'feature_used'] */
  activityTypes?: readonly string[];
  /** Non-contractual: active at asOf only with a qualifying event in this many days before it (`null` = ever). @default null */
  activeWithinDays?: number | null;
}

/** Labels produced by {@link churnLabels}. */
export interface ChurnLabels {
  asOf: number;
  /** End of the outcome window (exclusive). */
  horizonEnd: number;
  /** Labelled customers (active at asOf), ascending id order. */
  customerIds: string[];
  /** 1 = churned within the horizon, aligned with `customerIds`. */
  churned: Uint8Array;
  /** Definition applied to each customer (differs per customer with `auto`). */
  definition: ('contractual' | 'non-contractual')[];
  /** Number of churners. */
  positives: number;
}

const FN = 'churnLabels';
/** @internal Option keys of {@link churnLabels}. */
export const LABEL_OPTION_KEYS = [
  'asOf',
  'horizon',
  'definition',
  'activityTypes',
  'activeWithinDays',
] as const;

/**
 * Churn labels for a prediction made at `asOf` about the next `horizon`. Only customers active at
 * asOf are labelled (see `definition`); everything at or before asOf (an event exactly at asOf is history) decides who is active,
 * everything in `(asOf, asOf + horizon]` decides the label, nothing later is read. For honest labels the data must
 * extend to `asOf + horizon` (a later cancellation would otherwise be missed).
 *
 * Missing-data policy: customers with no event at or before asOf are not labelled; an empty input gives
 * empty labels (`customerIds: []`).
 *
 * @param events validated events or timelines (`parseEvents(rows).events` / `groupByCustomer`), or an
 * `EventStore` (read as columns: no event object is built; same labels).
 * @param options asOf, horizon, definition.
 * @returns customer ids with 0/1 labels.
 * @throws {ValidationError} when `asOf` is not a valid date, or on a bad horizon or definition.
 * @example
 * ```ts
 * const labels = churnLabels(events, { asOf: '2025-06-01', horizon: { months: 3 } });
 * labels.customerIds; // => ['acme', 'globex']
 * labels.churned;     // => Uint8Array [0, 1]
 * ```
 */
export function churnLabels(events: EventsOrTimelines, options: ChurnLabelsOptions): ChurnLabels {
  requireOptions('churnLabels', options);
  checkOptions(FN, options, LABEL_OPTION_KEYS);
  const asOf = requireEpochMs(options.asOf, FN, 'asOf');
  const end = horizonEnd(asOf, options.horizon);
  if (end === null) {
    throw new ValidationError(FN, [
      {
        path: ['horizon'],
        code: 'invalid_value',
        message: 'option "horizon" must be a positive length (days or { days, weeks, months })',
      },
    ]);
  }
  const definition = options.definition ?? 'auto';
  if (definition !== 'auto' && definition !== 'contractual' && definition !== 'non-contractual') {
    throw new ValidationError(FN, [
      {
        path: ['definition'],
        code: 'invalid_value',
        message: 'option "definition" must be contractual, non-contractual or auto',
      },
    ]);
  }
  const activity = new Set(options.activityTypes ?? ['purchase', ...ACTIVITY_TYPES]);
  const within = options.activeWithinDays ?? null;
  const activeFrom = within === null ? Number.NEGATIVE_INFINITY : asOf - within * 86_400_000;
  const source = toChurnSource(events, 'churnLabels');
  const customerIds: string[] = [];
  const churned: number[] = [];
  const defs: ('contractual' | 'non-contractual')[] = [];
  if (isEventStore(source)) {
    // Columns: type codes and times, no event object (the same rule as labelOne).
    const ids = source.customerIds;
    storeLabels(source, asOf, end, definition, activity, activeFrom, {
      push(c, churn, contractual) {
        customerIds.push(ids[c] as string);
        churned.push(churn);
        defs.push(contractual ? 'contractual' : 'non-contractual');
      },
    });
  } else {
    for (const [id, tl] of source) {
      const r = labelOne(tl as CustomerTimeline, asOf, end, definition, activity, activeFrom);
      if (r === null) continue;
      customerIds.push(id);
      churned.push(r.churned);
      defs.push(r.def);
    }
  }
  let positives = 0;
  for (const c of churned) positives += c;
  return {
    asOf,
    horizonEnd: end,
    customerIds,
    churned: Uint8Array.from(churned),
    definition: defs,
    positives,
  };
}

function labelOne(
  tl: CustomerTimeline,
  asOf: number,
  end: number,
  definition: ChurnDefinition,
  activity: ReadonlySet<string>,
  activeFrom: number,
): { churned: number; def: 'contractual' | 'non-contractual' } | null {
  const evs = tl.events;
  const st = new LabelState();
  for (let i = 0; i < evs.length; i++) {
    const e = evs[i] as CustomerEvent;
    const t = e.timestamp;
    if (t > end) break;
    st.see(t, labelFlags(e.type, activity), asOf);
  }
  const o = st.outcome(definition, activeFrom);
  if (o < 0) return null;
  return { churned: o & 1, def: o >= 2 ? 'contractual' : 'non-contractual' };
}
