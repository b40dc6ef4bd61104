/**
 * Internal: what `buildReportData` reads of an {@link EventStore}, from its typed columns: the
 * rows up to the report date as a store of their own, the source counts, subscription spans for
 * the survival curves, the first purchase, and the health history (the run `healthHistory`
 * prepares from a store, keeping explained scores for the last two dates only). No event object
 * is built.
 * @module
 */
import type { CustomerProfile, CustomerTimelines } from '../events/types';
import { prepareHealthInput } from '../health/_storeRun';
import type { HealthScore } from '../health/healthTypes';
import { runWarnings, scoreAt } from '../health/scoreHealth';
import { type DictColumn, type EventStore, STORE_PROPERTIES, type StoreProperty } from '../store/EventStore';
import type { VitalsWarning } from '../types';

/**
 * One customer's health at each history date (what the report reads of `healthHistory`): the
 * explained score (`result`) is needed at the last two dates only (the riskiest list, who moved).
 */
export interface ReportHistory {
  customerId: string;
  points: { asOf: number; score: number | null; band: string | null; result?: HealthScore }[];
}

/**
 * The rows stamped at or before `asOf` (the asOf rule), as a store: the same store when every row
 * is; else new columns holding those rows (a prefix of each customer's run, since rows are
 * time-ordered within a customer), customers left without a row dropped. Dictionaries are shared.
 */
export function storeUpTo(store: EventStore, asOf: number): EventStore {
  const n = store.length;
  const time = store.time;
  let kept = 0;
  for (let i = 0; i < n; i++) if ((time[i] as number) <= asOf) kept++;
  if (kept === n) return store;
  const rowMap = new Int32Array(n).fill(-1);
  const customerIds: string[] = [];
  const offsets: number[] = [0];
  const customer = new Uint32Array(kept);
  const newTime = new Float64Array(kept);
  const typeCode = new Uint16Array(kept);
  const value = new Float64Array(kept);
  const hasValue = new Uint8Array(kept);
  let k = 0;
  for (let c = 0; c < store.customerIds.length; c++) {
    const lo = store.offsets[c] as number;
    const hi = store.offsets[c + 1] as number;
    const c2 = customerIds.length;
    for (let i = lo; i < hi; i++) {
      if ((time[i] as number) > asOf) continue;
      rowMap[i] = k;
      customer[k] = c2;
      newTime[k] = time[i] as number;
      typeCode[k] = store.typeCode[i] as number;
      value[k] = store.value[i] as number;
      hasValue[k] = store.hasValue[i] as number;
      k++;
    }
    if (k > (offsets[c2] as number)) {
      customerIds.push(store.customerIds[c] as string);
      offsets.push(k);
    }
  }
  const column = <T>(col: DictColumn<T>): DictColumn<T> => {
    const codes = col.codes;
    if (codes === null) return col;
    const rows = col.rows;
    if (rows === null) {
      const out = new Int32Array(kept);
      for (let i = 0; i < n; i++) {
        const r = rowMap[i] as number;
        if (r >= 0) out[r] = codes[i] as number;
      }
      return { codes: out, rows: null, values: col.values };
    }
    let m = 0;
    for (let j = 0; j < rows.length; j++) if ((rowMap[rows[j] as number] as number) >= 0) m++;
    const outRows = new Int32Array(m);
    const outCodes = new Int32Array(m);
    m = 0;
    for (let j = 0; j < rows.length; j++) {
      const r = rowMap[rows[j] as number] as number;
      if (r < 0) continue;
      outRows[m] = r;
      outCodes[m] = codes[j] as number;
      m++;
    }
    return { codes: m === 0 ? null : outCodes, rows: m === 0 ? null : outRows, values: col.values };
  };
  const props = Object.create(null) as Record<StoreProperty, DictColumn<unknown>>;
  for (const p of STORE_PROPERTIES) props[p] = column(store.props[p]);
  const extra = store.extra;
  return Object.freeze({
    kind: 'event-store' as const,
    length: kept,
    customerIds,
    offsets: Int32Array.from(offsets),
    customer,
    time: newTime,
    typeCode,
    types: store.types,
    value,
    hasValue,
    eventId: column(store.eventId),
    props,
    extra: extra === undefined ? undefined : extra.filter((_, i) => (rowMap[i] as number) >= 0),
  });
}

/**
 * Earliest and latest timestamps and the count of each type, types in order of first appearance
 * in the store's rows (as a pass over `storeEvents(store)` would list them).
 */
export function storeOverview(store: EventStore): {
  earliest: number;
  latest: number;
  types: Record<string, number>;
} {
  const n = store.length;
  const counts = new Float64Array(store.types.length);
  const firstRow = new Int32Array(store.types.length).fill(-1);
  let earliest = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = store.time[i] as number;
    if (t > latest) latest = t;
    if (t < earliest) earliest = t;
    const k = store.typeCode[i] as number;
    if (firstRow[k] === -1) firstRow[k] = i;
    counts[k] = (counts[k] as number) + 1;
  }
  const order = store.types.map((_, k) => k).filter((k) => (firstRow[k] as number) >= 0);
  order.sort((a, b) => (firstRow[a] as number) - (firstRow[b] as number));
  const types: Record<string, number> = Object.create(null);
  for (const k of order) types[store.types[k] as string] = counts[k] as number;
  return { earliest, latest, types };
}

/** Per customer: first subscription event time (NaN when none), last one's time and whether it is a cancellation. */
export interface SubscriptionSpans {
  ids: readonly string[];
  first: Float64Array;
  last: Float64Array;
  cancelled: Uint8Array;
}

/** {@link SubscriptionSpans} of timelines (types starting with `subscription_`, in timeline order). */
export function timelineSpans(timelines: CustomerTimelines): SubscriptionSpans {
  const ids = [...timelines.keys()];
  const first = new Float64Array(ids.length).fill(Number.NaN);
  const last = new Float64Array(ids.length).fill(Number.NaN);
  const cancelled = new Uint8Array(ids.length);
  ids.forEach((id, c) => {
    for (const e of timelines.get(id)?.events ?? []) {
      if (!e.type.startsWith('subscription_')) continue;
      if (Number.isNaN(first[c] as number)) first[c] = e.timestamp;
      last[c] = e.timestamp;
      cancelled[c] = e.type === 'subscription_cancelled' ? 1 : 0;
    }
  });
  return { ids, first, last, cancelled };
}

/** {@link SubscriptionSpans} from the store's columns (rows are in each customer's event order). */
export function storeSpans(store: EventStore): SubscriptionSpans {
  const m = store.customerIds.length;
  const isSub = Uint8Array.from(store.types, (t) => (t.startsWith('subscription_') ? 1 : 0));
  const cancelCode = store.types.indexOf('subscription_cancelled');
  const first = new Float64Array(m).fill(Number.NaN);
  const last = new Float64Array(m).fill(Number.NaN);
  const cancelled = new Uint8Array(m);
  for (let c = 0; c < m; c++) {
    for (let i = store.offsets[c] as number; i < (store.offsets[c + 1] as number); i++) {
      const k = store.typeCode[i] as number;
      if (isSub[k] !== 1) continue;
      if (Number.isNaN(first[c] as number)) first[c] = store.time[i] as number;
      last[c] = store.time[i] as number;
      cancelled[c] = k === cancelCode ? 1 : 0;
    }
  }
  return { ids: store.customerIds, first, last, cancelled };
}

/** Earliest time of a type's rows (+Infinity when none). */
export function storeFirstOfType(store: EventStore, type: string): number {
  const code = store.types.indexOf(type);
  let first = Number.POSITIVE_INFINITY;
  if (code < 0) return first;
  for (let i = 0; i < store.length; i++)
    if (store.typeCode[i] === code && (store.time[i] as number) < first) first = store.time[i] as number;
  return first;
}

/**
 * Health at each date, every customer of the store, from the health engine's grouped columns read
 * from the store (no event object; custom signals are not used by the report). Same scores, bands
 * and warnings as `healthHistory` on the same events; histories by customer id. Explained scores
 * are kept for the last two dates only, so the history holds two dates' explanations, not all.
 */
export function storeHealthHistory(
  store: EventStore,
  dates: readonly number[],
  profiles: readonly CustomerProfile[],
  fn: string,
): { histories: ReportHistory[]; warnings: VitalsWarning[] } {
  // The run healthHistory prepares from a store (its columns grouped as scoreHealthFromStore does).
  const run = prepareHealthInput(store, { profiles }, fn, dates);
  const byCustomer = new Map<string, ReportHistory['points']>();
  const keepFrom = dates.length >= 2 ? (dates[dates.length - 2] as number) : Number.NEGATIVE_INFINITY;
  for (const asOf of dates) {
    const keep = asOf >= keepFrom;
    for (const r of scoreAt(run, asOf)) {
      let points = byCustomer.get(r.customerId);
      if (points === undefined) {
        points = [];
        byCustomer.set(r.customerId, points);
      }
      points.push(
        keep ? { asOf, score: r.score, band: r.band, result: r } : { asOf, score: r.score, band: r.band },
      );
    }
  }
  // The store's customer ids are in code-unit order already.
  const histories: ReportHistory[] = [];
  for (const customerId of store.customerIds) {
    const points = byCustomer.get(customerId);
    if (points !== undefined) histories.push({ customerId, points });
  }
  return { histories, warnings: runWarnings(run) };
}
