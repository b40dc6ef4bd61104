import { upperBound } from '../_lib/search';
/**
 * Internal: support-ticket lifecycle reconstruction shared by supportMetrics and supportSeries.
 * @module
 */
import { AVG_MONTH_MS, bucketOrder, durationStats, optionError } from './_shared';
import type { EventIndex } from './indexEvents';
import type { SupportMetricsResult } from './supportMetrics';
import type { DurationStats } from './types';

/** A ticket event that could not be placed in its ticket's lifecycle. */
export interface RejectedTicketEvent {
  customerId: string;
  /** Missing when the event had no usable `properties.ticketId`. */
  ticketId?: string;
  type: string;
  timestamp: number;
  reason: string;
}

/** One reconstructed ticket, as of `asOf`. */
export interface Ticket {
  customerId: string;
  ticketId: string;
  /** First `ticket_opened`. */
  openedAt: number;
  /** First `ticket_first_response` at or after `openedAt`; NaN when none. */
  firstResponseAt: number;
  /** Last resolution when the ticket is resolved at `asOf`; NaN when it is open. */
  resolvedAt: number;
  /** Number of `ticket_opened` events after a resolution. */
  reopens: number;
}

const TICKET_TYPES = ['ticket_opened', 'ticket_first_response', 'ticket_resolved'] as const;
const OPENED = 0;
const RESPONSE = 1;

/**
 * Rebuilds every ticket from its events at or before `asOf`, from the index's typed columns (the
 * ticket types, each in index order; ticket ids as dense keys). Tickets come out customer by
 * customer in order of each customer's first ticket event, and within a customer in order of each
 * ticket's first event (opens first, then responses, then resolutions, each in index order).
 */
export function buildTickets(
  index: EventIndex,
  asOf: number,
): { tickets: Ticket[]; rejected: RejectedTicketEvent[]; customers: number } {
  const cols = index.typeColumns(TICKET_TYPES);
  const { key, names } = index.propertyKeys(cols, 'ticketId');
  const customerIds = index.customerIds();
  const rejected: RejectedTicketEvent[] = [];
  const { group, groupCustomer, groupTicket, customerRank } = ticketGroups(
    cols,
    key,
    names.length,
    customerIds,
    asOf,
    rejected,
  );
  // Customers seen (any event) at or before asOf: count of first-seen times <= asOf.
  const seen = upperBound(index.firstSeen(), asOf);
  const ng = groupCustomer.length;
  // Groups customer by customer (first appearance), tickets in order of first appearance.
  const groupOrder = Array.from({ length: ng }, (_, g) => g).sort(
    (a, b) =>
      (customerRank[groupCustomer[a] as number] as number) -
        (customerRank[groupCustomer[b] as number] as number) || a - b,
  );
  const { offsets, order } = bucketOrder(group, ng);
  const kind = cols.type;
  const time = cols.time;
  const tickets: Ticket[] = [];
  for (const g of groupOrder) {
    const customerId = customerIds[groupCustomer[g] as number] as string;
    const ticketId = names[groupTicket[g] as number] as string;
    const s = offsets[g] as number;
    const e = offsets[g + 1] as number;
    // By time, equal instants open < response < resolve, then entry order (a stable sort).
    const list = Array.from(order.subarray(s, e)).sort(
      (a, b) =>
        (time[a] as number) - (time[b] as number) || (kind[a] as number) - (kind[b] as number) || a - b,
    );
    const ticket = ticketLifecycle(list, kind, time, customerId, ticketId, rejected);
    if (ticket !== null) tickets.push(ticket);
  }
  return { tickets, rejected, customers: seen };
}

type TicketColumns = ReturnType<EventIndex['typeColumns']>;

/**
 * Numbers each kept entry's (customer, ticket) group in order of first appearance (entries after
 * `asOf` skipped; entries without a ticket id rejected), and ranks customers by first appearance.
 */
function ticketGroups(
  cols: TicketColumns,
  key: ArrayLike<number>,
  nNames: number,
  customerIds: readonly string[],
  asOf: number,
  rejected: RejectedTicketEvent[],
): { group: Int32Array; groupCustomer: number[]; groupTicket: number[]; customerRank: Int32Array } {
  const n = cols.size;
  // Group of each kept entry: (customer, ticket) numbered in order of first appearance.
  const group = new Int32Array(n).fill(-1);
  const groupOf = new Map<number, number>();
  const groupCustomer: number[] = [];
  const groupTicket: number[] = [];
  const customerRank = new Int32Array(customerIds.length).fill(-1);
  let ranked = 0;
  const nk = Math.max(1, nNames);
  for (let j = 0; j < n; j++) {
    if ((cols.time[j] as number) > asOf) continue;
    const c = cols.customer[j] as number;
    const k = key[j] as number;
    if (k < 0) {
      rejected.push({
        customerId: customerIds[c] as string,
        type: TICKET_TYPES[cols.type[j] as number] as string,
        timestamp: cols.time[j] as number,
        reason: 'no properties.ticketId',
      });
      continue;
    }
    if (customerRank[c] === -1) customerRank[c] = ranked++;
    const gk = c * nk + k;
    let g = groupOf.get(gk);
    if (g === undefined) {
      g = groupCustomer.length;
      groupOf.set(gk, g);
      groupCustomer.push(c);
      groupTicket.push(k);
    }
    group[j] = g;
  }
  return { group, groupCustomer, groupTicket, customerRank };
}

/** One ticket from its entries in lifecycle order; `null` when it was never opened (entries rejected). */
function ticketLifecycle(
  list: readonly number[],
  kind: ArrayLike<number>,
  time: ArrayLike<number>,
  customerId: string,
  ticketId: string,
  rejected: RejectedTicketEvent[],
): Ticket | null {
  let state = 0; // 0 = never opened, 1 = open, 2 = resolved
  let openedAt = Number.NaN;
  let firstResponseAt = Number.NaN;
  let resolvedAt = Number.NaN;
  let reopens = 0;
  for (const j of list) {
    const k = kind[j] as number;
    const t = time[j] as number;
    if (k === OPENED) {
      if (state === 0) openedAt = t;
      else if (state === 2) reopens++;
      state = 1;
    } else if (state === 0) {
      rejected.push({
        customerId,
        ticketId,
        type: TICKET_TYPES[k] as string,
        timestamp: t,
        reason:
          k === RESPONSE
            ? 'first response before the ticket was opened'
            : 'resolution before the ticket was opened',
      });
    } else if (k === RESPONSE) {
      if (Number.isNaN(firstResponseAt)) firstResponseAt = t;
    } else if (state === 1) {
      resolvedAt = t;
      state = 2;
    }
  }
  if (state === 0) return null;
  return {
    customerId,
    ticketId,
    openedAt,
    firstResponseAt,
    resolvedAt: state === 2 ? resolvedAt : Number.NaN,
    reopens,
  };
}

/** Aggregates over the tickets opened in `[from, to)`. */
export interface TicketSummary {
  opened: number;
  resolved: number;
  open: number;
  awaitingResponse: number;
  reopened: number;
  firstResponse: DurationStats;
  resolution: DurationStats;
}

export function summariseTickets(tickets: readonly Ticket[], from: number, to: number): TicketSummary {
  let opened = 0;
  let resolved = 0;
  let awaitingResponse = 0;
  let reopened = 0;
  let nResp = 0;
  let nRes = 0;
  for (const t of tickets) {
    if (t.openedAt < from || t.openedAt >= to) continue;
    opened++;
    if (!Number.isNaN(t.firstResponseAt)) nResp++;
    if (!Number.isNaN(t.resolvedAt)) {
      resolved++;
      nRes++;
    } else if (Number.isNaN(t.firstResponseAt)) awaitingResponse++;
    if (t.reopens > 0) reopened++;
  }
  const resp = new Float64Array(nResp);
  const res = new Float64Array(nRes);
  let a = 0;
  let b = 0;
  for (const t of tickets) {
    if (t.openedAt < from || t.openedAt >= to) continue;
    if (!Number.isNaN(t.firstResponseAt)) resp[a++] = t.firstResponseAt - t.openedAt;
    if (!Number.isNaN(t.resolvedAt)) res[b++] = t.resolvedAt - t.openedAt;
  }
  return {
    opened,
    resolved,
    open: opened - resolved,
    awaitingResponse,
    reopened,
    firstResponse: durationStats(resp),
    resolution: durationStats(res),
  };
}

/** @internal Summary over already-built tickets (also used by supportSeries). */
/** Shortest window from which tickets per customer per month is reported (7 days). */
const MIN_RATE_WINDOW_MS = 7 * 86_400_000;

export function summariseSupport(
  tickets: readonly Ticket[],
  rejected: RejectedTicketEvent[],
  seenCustomers: number,
  o: {
    fn: string;
    asOf: number;
    from: number | undefined;
    to: number | undefined;
    customers: number | undefined;
  },
): SupportMetricsResult {
  if (o.customers !== undefined && !(Number.isInteger(o.customers) && o.customers >= 0)) {
    throw optionError(o.fn, 'customers', 'must be a non-negative integer');
  }
  let earliest = o.asOf;
  let openAtAsOf = 0;
  for (const t of tickets) {
    if (t.openedAt < earliest) earliest = t.openedAt;
    if (Number.isNaN(t.resolvedAt)) openAtAsOf++;
  }
  const from = o.from ?? earliest;
  const to = o.to ?? o.asOf + 1;
  const s = summariseTickets(tickets, from, to);
  const customers = o.customers ?? seenCustomers;
  const months = (to - from) / AVG_MONTH_MS;
  const result: SupportMetricsResult = {
    value: s.firstResponse.medianHours,
    n: s.opened,
    ...s,
    resolvedShare: s.opened > 0 ? s.resolved / s.opened : null,
    reopenRate: s.opened > 0 ? s.reopened / s.opened : null,
    openAtAsOf,
    // A monthly rate from a window shorter than a week would be an extrapolation, not a measurement.
    ticketsPerCustomerPerMonth:
      customers > 0 && to - from >= MIN_RATE_WINDOW_MS ? s.opened / customers / months : null,
    customers,
    rejected,
  };
  if (s.opened === 0) result.reason = 'no tickets opened in the window';
  else if (result.value === null) result.reason = 'no ticket in the window has a first response';
  return result;
}
