import { linearRegression } from 'simple-statistics';
import { checkOptions } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import { addPeriods } from '../_lib/period';
import { nullProtoObject } from '../_lib/safe';
import { lowerBound } from '../_lib/search';
import { type DateInput, MS_PER_DAY, MS_PER_HOUR, requireEpochMs } from '../_lib/time';
import type { CustomerEvent, CustomerProfile, CustomerTimeline, CustomerTimelines } from '../events/types';
import { ACTIVITY_TYPES } from '../events/vocabulary';
import { type EventStore, isEventStore } from '../store/EventStore';
import { requireOptions } from './_args';
import { FeatureAcc, storeFeatureLoop, TREND_WEEKS } from './_storeFeatures';
import { type EventsOrTimelines, toChurnSource } from './toTimelines';

/** Options of {@link churnFeatures}. */
export interface ChurnFeaturesOptions {
  /** Features describe each customer as of this instant: events at or before it are read (an event exactly at `asOf` counts). */
  asOf: DateInput;
  /**
   * Profiles (validated, e.g. `parseProfiles(rows).profiles`). Read: `signupDate` (tenure, only when
   * before asOf), `plan`/`seats`/`mrr` as fallbacks when no event says, and `attributes` as
   * `profile.<key>` features. Profiles are snapshots: pass ones that were valid at asOf.
   * @default []
   */
  profiles?: readonly CustomerProfile[];
  /** Priorities (lower case) that count as high-priority tickets. @default ['high', 'urgent', 'critical'] */
  highPriorities?: readonly string[];
}

/**
 * A feature table: one row per customer, named numeric columns (`Float64Array`) and categorical
 * columns. Missing numeric cells hold 0 and are flagged in `missing` (never NaN).
 */
export interface ChurnFeatureTable {
  asOf: number;
  /** Customers with at least one event at or before asOf (or a profile signed up by then), ascending. */
  customerIds: string[];
  /** Numeric column names, in the documented order, then `profile.<key>` columns (sorted). */
  names: string[];
  /** Numeric columns (null-prototype object). */
  columns: Record<string, Float64Array>;
  /** 1 where the numeric cell is missing (null-prototype object; every numeric column has one). */
  missing: Record<string, Uint8Array>;
  /** Categorical columns (`plan`, string profile attributes); `null` = missing. */
  categorical: Record<string, (string | null)[]>;
}

/**
 * The features computed from events, in column order. "Activity" means `login`, `session` and
 * `feature_used` events; windows are the `n` days up to asOf, half-open `(asOf − n days, asOf]`; days may be fractional.
 */
export const CHURN_FEATURES: readonly { name: string; description: string }[] = [
  { name: 'daysSinceLastEvent', description: 'days since the last event of any type' },
  { name: 'daysSinceLastActivity', description: 'days since the last activity event (missing: none)' },
  { name: 'daysSinceLastPurchase', description: 'days since the last purchase (missing: none)' },
  { name: 'purchases', description: 'number of purchases (frequency)' },
  { name: 'purchases90d', description: 'purchases in the last 90 days' },
  { name: 'monetary', description: 'purchases + invoices paid − refunds (monetary value)' },
  { name: 'avgOrderValue', description: 'mean purchase amount (missing: no purchase)' },
  { name: 'tenureDays', description: 'days since signup (profile signupDate, else first event)' },
  { name: 'activity7d', description: 'activity events in the last 7 days' },
  { name: 'activity30d', description: 'activity events in the last 30 days' },
  { name: 'activity90d', description: 'activity events in the last 90 days' },
  { name: 'activeDays30d', description: 'distinct UTC days with activity in the last 30 days' },
  {
    name: 'usageTrend',
    description:
      'least-squares slope of weekly activity counts over the last 12 weeks, events/week per week (missing: < 3 weeks of tenure)',
  },
  {
    name: 'activityRatio30d',
    description: '(activity30d + 1) / (mean activity of days 31–90 per 30 days + 1)',
  },
  { name: 'featureBreadth30d', description: 'distinct `feature_used` features in the last 30 days' },
  { name: 'featureBreadth90d', description: 'distinct `feature_used` features in the last 90 days' },
  { name: 'activeUsers30d', description: 'distinct `userId`s on activity events in the last 30 days' },
  { name: 'seats', description: 'licensed seats (last `seats_changed`, else profile; missing: unknown)' },
  { name: 'licenseUtilisation', description: 'activeUsers30d / seats (missing: seats unknown or 0)' },
  { name: 'tickets30d', description: '`ticket_opened` events in the last 30 days' },
  { name: 'tickets90d', description: '`ticket_opened` events in the last 90 days' },
  { name: 'highPriorityTickets30d', description: 'high-priority tickets opened in the last 30 days' },
  { name: 'openTickets', description: 'tickets opened and not resolved by asOf' },
  {
    name: 'meanResolutionHours90d',
    description:
      'mean hours from opening to resolution, tickets resolved in the last 90 days (missing: none)',
  },
  { name: 'npsLatest', description: 'latest NPS score (missing: none)' },
  { name: 'npsMean', description: 'mean NPS score (missing: none)' },
  { name: 'csatLatest', description: 'latest CSAT score (missing: none)' },
  { name: 'csatMean', description: 'mean CSAT score (missing: none)' },
  { name: 'failedPayments90d', description: '`payment_failed` events in the last 90 days' },
  {
    name: 'mrr',
    description:
      'MRR after the last subscription event (0 after a cancellation; else profile; missing: unknown)',
  },
  {
    name: 'mrrChange90d',
    description: 'mrr − MRR 90 days before asOf (missing: no subscription event before then)',
  },
  {
    name: 'daysToRenewal',
    description:
      'days to the next term end: last start/renewal + term (term = gap between the last two, else 1 month if within a month, else 12); missing: no subscription',
  },
];

const NAMES = CHURN_FEATURES.map((f) => f.name);

/**
 * Computes churn features for every customer as of `asOf`, from events at or before `asOf` only
 * (the library's one asOf rule: an event stamped exactly at asOf counts; no leakage: adding or
 * changing events after asOf never changes a feature). See
 * {@link CHURN_FEATURES} for the list: recency, frequency, monetary value, tenure, activity in
 * 7/30/90-day windows, usage trend (simple-statistics `linearRegression` on weekly counts), feature
 * breadth, licence use, ticket counts and resolution times, latest and mean NPS/CSAT, failed
 * payments, MRR and its 90-day change, days to renewal; plus `plan` (categorical: last subscription
 * event's `properties.plan`, else the profile's) and profile attributes as `profile.<key>`.
 * One pass over each customer's sorted events, no per-event allocation. Given an `EventStore`
 * (`toEventStore`, or the CLI's store), the pass reads the store's typed columns and dictionary
 * codes directly and builds no event object; the table is identical, bit for bit, to the one
 * computed from the same events as objects.
 *
 * Missing-data policy: features that cannot be computed (no NPS answer, no seats, ...) are missing:
 * 0 in `columns` and 1 in `missing`; `featureRows()` turns them into `null` for the models.
 *
 * @param events validated events, timelines, or an `EventStore`.
 * @param options asOf and profiles.
 * @returns a {@link ChurnFeatureTable}.
 * @throws {ValidationError} when `asOf` is not a valid date.
 * @example
 * ```ts
 * const table = churnFeatures(events, { asOf: '2025-06-01', profiles });
 * table.columns.tickets30d[table.customerIds.indexOf('acme')]; // => 3
 * ```
 */
export function churnFeatures(events: EventsOrTimelines, options: ChurnFeaturesOptions): ChurnFeatureTable {
  requireOptions('churnFeatures', options);
  checkOptions('churnFeatures', options, ['asOf', 'profiles', 'highPriorities']);
  const asOf = requireEpochMs(options.asOf, 'churnFeatures', 'asOf');
  const source = toChurnSource(events, 'churnFeatures');
  const profiles = new Map<string, CustomerProfile>();
  for (const p of options.profiles ?? []) profiles.set(p.customerId, p);
  const high = new Set(
    (options.highPriorities ?? ['high', 'urgent', 'critical']).map((s) => s.toLowerCase()),
  );
  let ids: string[];
  let writer: RowWriter;
  if (isEventStore(source)) {
    // Columns: one typed-array pass per customer, no event object (same numbers, see _storeFeatures).
    const { ids: storeIds, order } = storeCustomers(source, asOf, profiles);
    ids = storeIds;
    writer = new RowWriter(ids, asOf);
    const w = writer;
    storeFeatureLoop(source, asOf, order, high, (i, a) => {
      w.write(i, a, profiles.get(ids[i] as string));
    });
  } else {
    ids = timelineCustomers(source, asOf, profiles);
    writer = new RowWriter(ids, asOf);
    timelineFeatureLoop(source, ids, asOf, high, writer, profiles);
  }
  const { columns, missing } = writer;
  const categorical = nullProtoObject<(string | null)[]>();
  categorical.plan = writer.plan;
  const names = [...NAMES];
  addProfileAttributes({ asOf, customerIds: ids, names, columns, missing, categorical }, profiles);
  return { asOf, customerIds: ids, names, columns, missing, categorical };
}

/** Customers with any event at or before asOf, or signed up by asOf (ascending ids). */
function timelineCustomers(
  timelines: CustomerTimelines,
  asOf: number,
  profiles: ReadonlyMap<string, CustomerProfile>,
): string[] {
  const ids: string[] = [];
  for (const [id, tl] of timelines) if (tl.firstTimestamp <= asOf) ids.push(id);
  for (const [id, p] of profiles) {
    if (p.signupDate !== undefined && p.signupDate <= asOf && !timelines.has(id)) ids.push(id);
  }
  ids.sort(compareCodeUnits);
  return ids;
}

/**
 * The same customers from a store (its ids are already ascending): `order[i]` is the store
 * customer of row i, -1 for a customer known only from a profile (merged in code-unit order).
 */
function storeCustomers(
  store: EventStore,
  asOf: number,
  profiles: ReadonlyMap<string, CustomerProfile>,
): { ids: string[]; order: Int32Array } {
  const { customerIds, offsets, time } = store;
  const seen: number[] = [];
  for (let c = 0; c < customerIds.length; c++) {
    const lo = offsets[c] as number;
    if (lo < (offsets[c + 1] as number) && (time[lo] as number) <= asOf) seen.push(c);
  }
  const extra: string[] = [];
  for (const [id, p] of profiles) {
    if (p.signupDate !== undefined && p.signupDate <= asOf && !hasSorted(customerIds, id)) extra.push(id);
  }
  extra.sort(compareCodeUnits);
  const n = seen.length + extra.length;
  const ids: string[] = new Array(n);
  const order = new Int32Array(n);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    const c = a < seen.length ? (seen[a] as number) : -1;
    if (c >= 0 && (b >= extra.length || compareCodeUnits(customerIds[c] as string, extra[b] as string) < 0)) {
      ids[i] = customerIds[c] as string;
      order[i] = c;
      a++;
    } else {
      ids[i] = extra[b] as string;
      order[i] = -1;
      b++;
    }
  }
  return { ids, order };
}

/** True when `id` is in `sorted` (ascending code-unit order). */
function hasSorted(sorted: readonly string[], id: string): boolean {
  const i = lowerBound(sorted, id);
  return i < sorted.length && sorted[i] === id;
}

/** The feature table's columns, written one customer (row) at a time from a {@link FeatureAcc}. */
class RowWriter {
  readonly columns = nullProtoObject<Float64Array>();
  readonly missing = nullProtoObject<Uint8Array>();
  readonly plan: (string | null)[];
  readonly #cols: Float64Array[];
  readonly #miss: Uint8Array[];
  readonly #asOf: number;
  readonly #pts: number[][] = [];

  constructor(ids: readonly string[], asOf: number) {
    const n = ids.length;
    for (const name of NAMES) {
      this.columns[name] = new Float64Array(n);
      this.missing[name] = new Uint8Array(n);
    }
    this.plan = new Array(n).fill(null);
    this.#cols = NAMES.map((nm) => this.columns[nm] as Float64Array);
    this.#miss = NAMES.map((nm) => this.missing[nm] as Uint8Array);
    this.#asOf = asOf;
    for (let w = 0; w < TREND_WEEKS; w++) this.#pts.push([-w, 0]);
  }

  #set(i: number, k: number, v: number | null): void {
    if (v === null || !Number.isFinite(v)) (this.#miss[k] as Uint8Array)[i] = 1;
    else (this.#cols[k] as Float64Array)[i] = v;
  }

  #day(ms: number): number | null {
    return Number.isNaN(ms) ? null : (this.#asOf - ms) / MS_PER_DAY;
  }

  /** Writes row `i` from the customer's totals (and profile fallbacks). */
  write(i: number, a: FeatureAcc, prof: CustomerProfile | undefined): void {
    const asOf = this.#asOf;
    this.#set(i, 0, this.#day(a.lastEvent));
    this.#set(i, 1, this.#day(a.lastActivity));
    this.#set(i, 2, this.#day(a.lastPurchase));
    this.#set(i, 3, a.purchases);
    this.#set(i, 4, a.purchases90);
    this.#set(i, 5, a.monetary);
    this.#set(i, 6, a.purchases > 0 ? a.purchaseSum / a.purchases : null);
    const signup = prof?.signupDate !== undefined && prof.signupDate <= asOf ? prof.signupDate : a.first;
    const tenure = this.#day(signup);
    this.#set(i, 7, tenure);
    this.#set(i, 8, a.a7);
    this.#set(i, 9, a.a30);
    this.#set(i, 10, a.a90);
    this.#set(i, 11, a.activeDays);
    // Usage trend over the weeks the customer existed (week 0 = the latest).
    const weeks = tenure === null ? 0 : Math.min(TREND_WEEKS, Math.floor(tenure / 7));
    if (weeks >= 3) {
      const pts = this.#pts;
      pts.length = weeks;
      for (let w = 0; w < weeks; w++) {
        let p = pts[w];
        if (p === undefined) {
          p = [-w, 0];
          pts[w] = p;
        }
        p[1] = a.weekly[w] as number;
      }
      this.#set(i, 12, linearRegression(pts).m);
    } else this.#set(i, 12, null);
    this.#set(i, 13, (a.a30 + 1) / ((a.a90 - a.a30) / 2 + 1));
    this.#set(i, 14, a.feats30);
    this.#set(i, 15, a.feats90);
    this.#set(i, 16, a.users30);
    let seats = a.seats;
    if (Number.isNaN(seats) && prof?.seats !== undefined) seats = prof.seats;
    this.#set(i, 17, Number.isNaN(seats) ? null : seats);
    this.#set(i, 18, seats > 0 ? a.users30 / seats : null);
    this.#set(i, 19, a.tickets30);
    this.#set(i, 20, a.tickets90);
    this.#set(i, 21, a.high30);
    this.#set(i, 22, a.openTickets);
    this.#set(i, 23, a.resCnt > 0 ? a.resSum / a.resCnt : null);
    this.#set(i, 24, a.npsCnt > 0 ? a.npsLast : null);
    this.#set(i, 25, a.npsCnt > 0 ? a.npsSum / a.npsCnt : null);
    this.#set(i, 26, a.csatCnt > 0 ? a.csatLast : null);
    this.#set(i, 27, a.csatCnt > 0 ? a.csatSum / a.csatCnt : null);
    this.#set(i, 28, a.failed90);
    let mrr = a.mrr;
    if (!a.subSeen && prof?.mrr !== undefined) mrr = prof.mrr;
    this.#set(i, 29, Number.isNaN(mrr) ? null : mrr);
    this.#set(i, 30, Number.isNaN(mrr) || Number.isNaN(a.mrrAt90) ? null : mrr - a.mrrAt90);
    this.#set(i, 31, daysToRenewal(a.termStart, a.prevTermStart, a.subSeen, prof, asOf));
    this.plan[i] = a.lastPlan ?? (a.subSeen ? null : (prof?.plan ?? null));
  }
}

/** The feature loop over event objects: one pass over each customer's sorted events. */
function timelineFeatureLoop(
  timelines: CustomerTimelines,
  ids: readonly string[],
  asOf: number,
  high: ReadonlySet<string>,
  writer: RowWriter,
  profiles: ReadonlyMap<string, CustomerProfile>,
): void {
  const n = ids.length;
  // Reused per-customer scratch (cleared per customer, never allocated per event).
  const users30 = new Set<unknown>();
  const feats30 = new Set<unknown>();
  const feats90 = new Set<unknown>();
  const openTickets = new Map<unknown, number>();
  const t7 = asOf - 7 * MS_PER_DAY;
  const t30 = asOf - 30 * MS_PER_DAY;
  const t90 = asOf - 90 * MS_PER_DAY;
  const tTrend = asOf - TREND_WEEKS * 7 * MS_PER_DAY;

  for (let i = 0; i < n; i++) {
    const id = ids[i] as string;
    const tl = timelines.get(id) as CustomerTimeline | undefined;
    const evs = tl?.events ?? [];
    const a = new FeatureAcc(); // the customer's totals, written in place (initial values: the class)
    const weekly = a.weekly;
    let lastDay = -1;
    users30.clear();
    feats30.clear();
    feats90.clear();
    openTickets.clear();
    for (let k = 0; k < evs.length; k++) {
      const e = evs[k] as CustomerEvent;
      const t = e.timestamp;
      if (t > asOf) break; // sorted: nothing after asOf is read (an event at asOf counts)
      if (k === 0) a.first = t;
      a.lastEvent = t;
      const type = e.type;
      const props = e.properties;
      // A finite number or undefined, as the store holds it (arrays not from parseEvents may hold anything).
      const value = typeof e.value === 'number' && Number.isFinite(e.value) ? e.value : undefined;
      if (ACTIVITY_TYPES.has(type)) {
        a.lastActivity = t;
        if (t > t90) {
          a.a90++;
          if (t > t30) {
            a.a30++;
            if (t > t7) a.a7++;
            const day = Math.floor(t / MS_PER_DAY);
            if (day !== lastDay) {
              a.activeDays++;
              lastDay = day;
            }
            const u = props?.userId;
            if (u !== undefined && u !== null) users30.add(u);
          }
        }
        if (t > tTrend) {
          const w = Math.min(TREND_WEEKS - 1, Math.floor((asOf - t) / (7 * MS_PER_DAY)));
          weekly[w] = (weekly[w] as number) + 1;
        }
        if (type === 'feature_used' && t > t90) {
          const f = props?.feature;
          feats90.add(f);
          if (t > t30) feats30.add(f);
        }
        continue;
      }
      switch (type) {
        case 'purchase': {
          const v = value ?? 0;
          a.purchases++;
          a.purchaseSum += v;
          a.monetary += v;
          a.lastPurchase = t;
          if (t > t90) a.purchases90++;
          break;
        }
        case 'invoice_paid':
          a.monetary += value ?? 0;
          break;
        case 'refund':
          a.monetary -= value ?? 0;
          break;
        case 'ticket_opened': {
          if (t > t90) {
            a.tickets90++;
            if (t > t30) {
              a.tickets30++;
              const pr = props?.priority;
              if (typeof pr === 'string' && high.has(pr.toLowerCase())) a.high30++;
            }
          }
          const tid = props?.ticketId;
          if (tid !== undefined) openTickets.set(tid, t);
          break;
        }
        case 'ticket_resolved': {
          const tid = props?.ticketId;
          const opened = openTickets.get(tid);
          if (opened !== undefined) {
            if (t > t90) {
              a.resSum += (t - opened) / MS_PER_HOUR;
              a.resCnt++;
            }
            openTickets.delete(tid);
          }
          break;
        }
        case 'nps_response':
          if (value !== undefined) {
            a.npsLast = value;
            a.npsSum += value;
            a.npsCnt++;
          }
          break;
        case 'csat_response':
          if (value !== undefined) {
            a.csatLast = value;
            a.csatSum += value;
            a.csatCnt++;
          }
          break;
        case 'payment_failed':
          if (t > t90) a.failed90++;
          break;
        case 'seats_changed':
          if (value !== undefined) a.seats = value;
          break;
        case 'subscription_started':
        case 'subscription_renewed':
        case 'subscription_changed': {
          a.subSeen = true;
          if (value !== undefined) a.mrr = value;
          const pl = props?.plan;
          if (typeof pl === 'string' && pl.length > 0) a.lastPlan = pl;
          if (type !== 'subscription_changed') {
            a.prevTermStart = type === 'subscription_renewed' ? a.termStart : Number.NaN;
            a.termStart = t;
          }
          if (t <= t90) a.mrrAt90 = a.mrr;
          break;
        }
        case 'subscription_cancelled':
          a.subSeen = true;
          a.mrr = 0;
          a.termStart = Number.NaN;
          a.prevTermStart = Number.NaN;
          if (t <= t90) a.mrrAt90 = 0;
          break;
        default:
          break;
      }
    }
    a.users30 = users30.size;
    a.feats30 = feats30.size;
    a.feats90 = feats90.size;
    a.openTickets = openTickets.size;
    writer.write(i, a, profiles.get(id));
  }
}

/**
 * Days from `asOf` to the next renewal (feature 31): from the current term's start, the term being
 * the gap to the previous start in whole months (else 1 month if the term started within the last
 * month, 12 otherwise), rolled forward by whole terms past the expected end without a renewal event;
 * without subscription events, the profile's `renewalDate` when not past. Null when unknown.
 * Shared with the SQL-row path. @internal
 */
export function daysToRenewal(
  termStart: number,
  prevTermStart: number,
  subSeen: boolean,
  prof: CustomerProfile | undefined,
  asOf: number,
): number | null {
  if (!Number.isNaN(termStart)) {
    let term: number;
    if (!Number.isNaN(prevTermStart))
      term = Math.max(1, Math.round((termStart - prevTermStart) / (30.44 * MS_PER_DAY)));
    else term = addPeriods(termStart, 'month', 1) >= asOf ? 1 : 12;
    let next = addPeriods(termStart, 'month', term);
    // Past the expected end without a renewal event: roll forward by whole terms.
    for (let guard = 0; next < asOf && guard < 1200; guard++) next = addPeriods(next, 'month', term);
    return (next - asOf) / MS_PER_DAY;
  }
  if (!subSeen && prof?.renewalDate !== undefined && prof.renewalDate >= asOf)
    return (prof.renewalDate - asOf) / MS_PER_DAY;
  return null;
}

/**
 * Adds every profile attribute as a `profile.<key>` column (keys sorted): numbers and booleans as
 * numeric columns (missing when absent or not finite), strings as categorical ones (a key with any
 * string value is categorical). Shared with the SQL-row path. @internal
 */
export function addProfileAttributes(
  t: ChurnFeatureTable,
  profiles: ReadonlyMap<string, CustomerProfile>,
): void {
  const { customerIds: ids, names, columns, missing, categorical } = t;
  const n = ids.length;
  const attrKeys = new Set<string>();
  for (const id of ids) {
    const a = profiles.get(id)?.attributes;
    if (a !== undefined) for (const k of Object.keys(a)) attrKeys.add(k);
  }
  for (const key of Array.from(attrKeys).sort()) {
    const name = `profile.${key}`;
    let isString = false;
    for (const id of ids) {
      const a = profiles.get(id)?.attributes;
      if (a !== undefined && Object.hasOwn(a, key) && typeof a[key] === 'string') isString = true;
    }
    if (isString) {
      categorical[name] = ids.map((id) => {
        const a = profiles.get(id)?.attributes;
        const v = a !== undefined && Object.hasOwn(a, key) ? a[key] : undefined;
        return v === undefined ? null : String(v);
      });
    } else {
      const c = new Float64Array(n);
      const m = new Uint8Array(n);
      ids.forEach((id, i) => {
        const a = profiles.get(id)?.attributes;
        const v = a !== undefined && Object.hasOwn(a, key) ? a[key] : undefined;
        const num =
          typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' && Number.isFinite(v) ? v : null;
        if (num === null) m[i] = 1;
        else c[i] = num;
      });
      columns[name] = c;
      missing[name] = m;
      names.push(name);
    }
  }
}
