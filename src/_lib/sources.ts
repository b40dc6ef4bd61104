/**
 * Which kinds of data a data set holds: the event types, grouped into sources (activity, purchases,
 * subscriptions, billing, support, surveys, seats, CSM ratings). Health and metrics use it to tell a
 * source absent from the whole data set (its measures do not apply) from a customer without such
 * events (a fact about that customer).
 * @module
 */

/** A kind of data, read from the canonical event types. */
export type DataSource =
  | 'activity'
  | 'purchases'
  | 'subscriptions'
  | 'billing'
  | 'support'
  | 'nps'
  | 'csat'
  | 'ces'
  | 'seats'
  | 'csm';

/** Every {@link DataSource}, in a fixed order. */
export const DATA_SOURCES: readonly DataSource[] = [
  'activity',
  'purchases',
  'subscriptions',
  'billing',
  'support',
  'nps',
  'csat',
  'ces',
  'seats',
  'csm',
];

/** Plain-English name of each source, for warnings ("no support tickets in the data"). */
export const SOURCE_NOUNS: Readonly<Record<DataSource, string>> = {
  activity: 'product activity (login, session, feature_used)',
  purchases: 'purchases (purchase, refund)',
  subscriptions: 'subscriptions (subscription_*)',
  billing: 'billing (invoice_paid, payment_failed, subscription_*)',
  support: 'support tickets (ticket_*)',
  nps: 'NPS answers (nps_response)',
  csat: 'CSAT answers (csat_response)',
  ces: 'customer-effort answers (ces_response)',
  seats: 'seat counts (seats_changed or profile seats)',
  csm: 'CSM ratings (csm_rating or profile attribute csmRating)',
};

/** One bit per source (see {@link sourceBits}). */
export const SOURCE_BIT: Readonly<Record<DataSource, number>> = {
  activity: 1,
  purchases: 2,
  subscriptions: 4,
  billing: 8,
  support: 16,
  nps: 32,
  csat: 64,
  ces: 128,
  seats: 256,
  csm: 512,
};

/** Bit mask of the sources an event type feeds (0 for types no source reads). */
export function sourceBits(type: string): number {
  switch (type) {
    case 'login':
    case 'session':
    case 'feature_used':
      return SOURCE_BIT.activity;
    case 'purchase':
    case 'refund':
      return SOURCE_BIT.purchases;
    case 'subscription_started':
    case 'subscription_changed':
    case 'subscription_renewed':
    case 'subscription_cancelled':
      return SOURCE_BIT.subscriptions | SOURCE_BIT.billing;
    case 'invoice_paid':
    case 'payment_failed':
      return SOURCE_BIT.billing;
    case 'ticket_opened':
    case 'ticket_first_response':
    case 'ticket_resolved':
    case 'ticket_reopened':
      return SOURCE_BIT.support;
    case 'nps_response':
      return SOURCE_BIT.nps;
    case 'csat_response':
      return SOURCE_BIT.csat;
    case 'ces_response':
      return SOURCE_BIT.ces;
    case 'seats_changed':
      return SOURCE_BIT.seats;
    case 'csm_rating':
      return SOURCE_BIT.csm;
    default:
      return 0;
  }
}

/** The sources of a data set as a bit set, with its time span. */
export class SourceSet {
  /** Bit mask of the present sources. */
  readonly mask: number;
  /** First and last event timestamps (NaN when there is no event). */
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  constructor(mask: number, firstTimestamp: number, lastTimestamp: number) {
    this.mask = mask;
    this.firstTimestamp = firstTimestamp;
    this.lastTimestamp = lastTimestamp;
  }
  /** True when the data set holds at least one event of the source. */
  has(source: DataSource): boolean {
    return (this.mask & SOURCE_BIT[source]) !== 0;
  }
  /** Present sources, in {@link DATA_SOURCES} order. */
  present(): DataSource[] {
    return DATA_SOURCES.filter((s) => this.has(s));
  }
  /** Absent sources, in {@link DATA_SOURCES} order. */
  absent(): DataSource[] {
    return DATA_SOURCES.filter((s) => !this.has(s));
  }
}

/** Source bits from profiles: `seats` → seats, `mrr` → billing and subscriptions, attribute `csmRating` → CSM. */
export function profileSourceBits(profiles: Iterable<ProfileLike> | undefined): number {
  let mask = 0;
  if (profiles === undefined) return mask;
  for (const p of profiles) {
    if (p.seats !== undefined) mask |= SOURCE_BIT.seats;
    if (p.mrr !== undefined) mask |= SOURCE_BIT.billing | SOURCE_BIT.subscriptions;
    const a = p.attributes;
    if (a !== undefined && Object.hasOwn(a, 'csmRating')) mask |= SOURCE_BIT.csm;
  }
  return mask;
}

/** What {@link scanSources} reads of a profile. */
export interface ProfileLike {
  readonly seats?: number;
  readonly mrr?: number;
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/**
 * Scans events once (no allocation per event: one type lookup per distinct run of types) for the
 * sources they hold; profiles with `seats` count as the seats source, with `mrr` as billing and subscriptions, with
 * an attribute `csmRating` as CSM ratings.
 * @param events events (only `type` and `timestamp` are read).
 * @param profiles optional profiles.
 * @returns the {@link SourceSet}.
 * @example
 * ```ts no-run
 * scanSources(events).absent(); // => ['activity', 'subscriptions', 'billing', 'support', ...]
 * ```
 */
export function scanSources(
  events: readonly { readonly type: string; readonly timestamp: number }[],
  profiles?: Iterable<ProfileLike>,
): SourceSet {
  let mask = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let lastType = '';
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as { type: string; timestamp: number };
    const t = e.timestamp;
    if (t < first) first = t;
    if (t > last) last = t;
    if (e.type !== lastType) {
      lastType = e.type;
      mask |= sourceBits(lastType);
    }
  }
  mask |= profileSourceBits(profiles);
  return events.length === 0 ? new SourceSet(mask, Number.NaN, Number.NaN) : new SourceSet(mask, first, last);
}
