/**
 * The inputs of `acquisitionMetrics` (private): the spend rows and `clv` validated, and the customers
 * (per customer, its channel and the first visit, trial, subscription and purchase at or before
 * asOf, read from events or from an `EventStore`).
 * @module
 */
import { optionError, ValidationError, type ValidationIssue } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import { type EventLike, eventTimes } from '../actions/_eventRows';
import { compareEvents } from '../events/groupByCustomer';
import type { CustomerEvent } from '../events/types';
import { StorePropReader } from '../segment/_storeInput';
import type { EventStore } from '../store/EventStore';
import type { AcquisitionOptions } from './acquisitionMetrics';

const FN = 'acquisitionMetrics';

export const PERIOD_RE = {
  month: /^\d{4}-(0[1-9]|1[0-2])$/,
  quarter: /^\d{4}-Q[1-4]$/,
  year: /^\d{4}$/,
} as const;

export interface Cust {
  channel: string | null;
  acquiredAt: number;
  startMrr: number | null;
  /** Σ purchase values (in event order) and their number. */
  purchaseSum: number;
  purchaseCount: number;
  trialAt: number;
  visitAt: number;
  paidAt: number;
  purchasedAt: number;
}

function newCust(): Cust {
  return {
    channel: null,
    acquiredAt: Infinity,
    startMrr: null,
    purchaseSum: 0,
    purchaseCount: 0,
    trialAt: Infinity,
    visitAt: Infinity,
    paidAt: Infinity,
    purchasedAt: Infinity,
  };
}

// What the loop does with an event type.
const T_OTHER = 0;
const T_VISIT = 1;
const T_SIGNUP = 2;
const T_TRIAL = 3;
const T_SUB = 4;
const T_PURCHASE = 5;

function typeKind(type: string): number {
  switch (type) {
    case 'visit':
      return T_VISIT;
    case 'signup':
      return T_SIGNUP;
    case 'trial_started':
      return T_TRIAL;
    case 'subscription_started':
      return T_SUB;
    case 'purchase':
      return T_PURCHASE;
    default:
      return T_OTHER;
  }
}

/**
 * Adds one event (kind from {@link typeKind}, not T_OTHER; events of a customer in time order, ties
 * in `compareEvents` order) to its customer. `value` is the event's value when a finite number.
 * @returns true for a subscription start.
 */
function addEvent(c: Cust, kind: number, t: number, value: number | undefined, ch: unknown): boolean {
  if (c.channel === null && typeof ch === 'string' && ch.length > 0 && kind !== T_PURCHASE) c.channel = ch;
  if (kind === T_VISIT) c.visitAt = Math.min(c.visitAt, t);
  else if (kind === T_TRIAL) c.trialAt = Math.min(c.trialAt, t);
  else if (kind === T_SUB) {
    if (c.paidAt === Infinity) {
      c.paidAt = t;
      c.startMrr = value ?? null;
    }
    return true;
  } else if (kind === T_PURCHASE) {
    if (c.purchasedAt === Infinity) c.purchasedAt = t;
    if (value !== undefined) {
      c.purchaseSum += value;
      c.purchaseCount++;
    }
  }
  return false;
}

/** Has what `compareEvents` reads with a validated event's types (raw rows fall back to input order). */
function comparable(e: EventLike): boolean {
  const x = e as { timestamp: unknown; value?: unknown; eventId?: unknown };
  return (
    typeof x.timestamp === 'number' &&
    (x.value === undefined || typeof x.value === 'number') &&
    (x.eventId === undefined || typeof x.eventId === 'string')
  );
}

/** The event order of the loop: time, then (validated events) `compareEvents`, then input order. */
function eventOrder(events: readonly EventLike[], times: Float64Array): number[] {
  return Array.from({ length: events.length }, (_, i) => i).sort((a, b) => {
    const d = (times[a] as number) - (times[b] as number);
    if (d !== 0) return d;
    const ea = events[a] as EventLike;
    const eb = events[b] as EventLike;
    if (comparable(ea) && comparable(eb)) {
      const c = compareEvents(ea as CustomerEvent, eb as CustomerEvent);
      if (c !== 0) return c;
    }
    return a - b;
  });
}

/** The event path: one {@link Cust} per customer (ascending id) from the events at or before asOf. */
export function eventCustomers(
  events: readonly EventLike[],
  asOf: number,
): { custs: Map<string, Cust>; anySubs: boolean } {
  const times = eventTimes(FN, events);
  const byId = new Map<string, Cust>();
  // Events in time order so "first" is well defined whatever the input order.
  const order = eventOrder(events, times);
  let anySubs = false;
  for (const i of order) {
    const t = times[i] as number;
    if (t > asOf) break;
    const e = events[i] as EventLike;
    const kind = typeKind(e.type);
    if (kind === T_OTHER) continue;
    let c = byId.get(e.customerId);
    if (c === undefined) {
      c = newCust();
      byId.set(e.customerId, c);
    }
    const v = typeof e.value === 'number' && Number.isFinite(e.value) ? e.value : undefined;
    if (addEvent(c, kind, t, v, e.properties?.channel)) anySubs = true;
  }
  const custs = new Map<string, Cust>();
  for (const id of [...byId.keys()].sort()) custs.set(id, byId.get(id) as Cust);
  return { custs, anySubs };
}

/** The store path: the same customers from the store's columns (rows in the loop's order). */
export function storeCustomers(
  store: EventStore,
  asOf: number,
): { custs: Map<string, Cust>; anySubs: boolean } {
  const { time, typeCode, value, hasValue, offsets } = store;
  const kinds = Uint8Array.from(store.types, typeKind);
  const custs = new Map<string, Cust>();
  let anySubs = false;
  let channels: StorePropReader | null = null;
  for (let c = 0; c < store.customerIds.length; c++) {
    let cust: Cust | null = null;
    const end = offsets[c + 1] as number;
    for (let i = offsets[c] as number; i < end; i++) {
      const t = time[i] as number;
      if (t > asOf) break;
      const kind = kinds[typeCode[i] as number] as number;
      if (kind === T_OTHER) continue;
      if (cust === null) {
        cust = newCust();
        custs.set(store.customerIds[c] as string, cust);
      }
      channels ??= new StorePropReader(FN, store, 'channel');
      const v = hasValue[i] === 1 ? (value[i] as number) : undefined;
      if (addEvent(cust, kind, t, v, kind === T_PURCHASE ? undefined : channels.at(i))) anySubs = true;
    }
  }
  return { custs, anySubs };
}

/** The spend rows, validated (located issues), summed per period and channel (`period \0 channel`). */
export function readSpend(
  rows: readonly unknown[],
  period: 'month' | 'quarter' | 'year',
): Map<string, number> {
  const issues: ValidationIssue[] = [];
  const spend = new Map<string, number>(); // period \0 channel
  rows.forEach((r: unknown, i) => {
    if (issues.length >= 100) return;
    if (!isPlainObject(r)) {
      issues.push({
        path: ['spend', i],
        code: 'not_plain_object',
        message: 'a spend row must be { period, channel?, amount }',
      });
      return;
    }
    const extra = Object.keys(r).filter((k) => !['period', 'channel', 'amount'].includes(k));
    for (const k of extra)
      issues.push({
        path: ['spend', i, k],
        code: 'unknown_key',
        message: `unknown key "${k.slice(0, 40)}" (period, channel, amount)`,
      });
    if (typeof r.period !== 'string' || !PERIOD_RE[period].test(r.period))
      issues.push({
        path: ['spend', i, 'period'],
        code: 'invalid_periods',
        message: `period must look like ${period === 'month' ? '2025-03' : period === 'quarter' ? '2025-Q1' : '2025'}`,
      });
    if (r.channel !== undefined && (typeof r.channel !== 'string' || r.channel.length === 0))
      issues.push({
        path: ['spend', i, 'channel'],
        code: 'invalid_type',
        message: 'channel must be a non-empty string',
      });
    if (typeof r.amount !== 'number' || !Number.isFinite(r.amount) || r.amount < 0)
      issues.push({
        path: ['spend', i, 'amount'],
        code: 'negative_amount',
        message: 'amount must be a finite number >= 0',
      });
    if (issues.length > 0) return;
    const key = `${r.period}\u0000${(r.channel as string | undefined) ?? '(all)'}`;
    spend.set(key, (spend.get(key) ?? 0) + (r.amount as number));
  });
  if (issues.length > 0) throw new ValidationError(FN, issues, 'spend');
  return spend;
}

/** The `clv` option as a Map, validated. */
export function readClv(clv: AcquisitionOptions['clv']): Map<string, number> {
  const clvMap = new Map<string, number>();
  if (clv !== undefined) {
    const entries: Iterable<[unknown, unknown]> =
      clv instanceof Map ? clv : Array.isArray(clv) ? clv.map((r) => [r?.customerId, r?.clv]) : [];
    if (!(clv instanceof Map) && !Array.isArray(clv))
      throw optionError(FN, 'clv', 'must be a Map or an array of { customerId, clv }', 'invalid_type');
    let i = 0;
    for (const [id, v] of entries) {
      if (typeof id !== 'string' || typeof v !== 'number' || !Number.isFinite(v))
        throw new ValidationError(FN, [
          {
            path: ['clv', i],
            code: 'invalid_record',
            message: 'each clv entry needs a string customerId and a finite clv',
          },
        ]);
      clvMap.set(id, v);
      i++;
    }
  }
  return clvMap;
}
