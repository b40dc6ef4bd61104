/**
 * Internal: support-ticket lifecycle reconstruction shared by supportMetrics and supportSeries.
 * @module
 */
import type { CustomerEvent } from '../events/types';
import { AVG_MONTH_MS, durationStats, optionError, readId } from './_shared';
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

const OPENED = 'ticket_opened';
const RESPONSE = 'ticket_first_response';
const RESOLVED = 'ticket_resolved';
const RANK: Record<string, number> = { [OPENED]: 0, [RESPONSE]: 1, [RESOLVED]: 2 };

function byTimeThenLifecycle(a: CustomerEvent, b: CustomerEvent): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  return (RANK[a.type] as number) - (RANK[b.type] as number);
}

/** Rebuilds every ticket from its events at or before `asOf`. */
export function buildTickets(
  index: EventIndex,
  asOf: number,
): { tickets: Ticket[]; rejected: RejectedTicketEvent[]; customers: number } {
  const groups = new Map<string, Map<string, CustomerEvent[]>>();
  const rejected: RejectedTicketEvent[] = [];
  for (const events of [index.ofType(OPENED), index.ofType(RESPONSE), index.ofType(RESOLVED)]) {
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as CustomerEvent;
      if (e.timestamp > asOf) continue;
      const ticketId = e.properties === undefined ? undefined : readId(e.properties.ticketId);
      if (ticketId === undefined) {
        rejected.push({
          customerId: e.customerId,
          type: e.type,
          timestamp: e.timestamp,
          reason: 'no properties.ticketId',
        });
        continue;
      }
      let perCustomer = groups.get(e.customerId);
      if (perCustomer === undefined) {
        perCustomer = new Map();
        groups.set(e.customerId, perCustomer);
      }
      const list = perCustomer.get(ticketId);
      if (list === undefined) perCustomer.set(ticketId, [e]);
      else list.push(e);
    }
  }
  // Customers seen (any event) at or before asOf: count of first-seen times <= asOf.
  const first = index.firstSeen();
  let lo = 0;
  let hi = first.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((first[mid] as number) <= asOf) lo = mid + 1;
    else hi = mid;
  }
  const tickets: Ticket[] = [];
  for (const [customerId, perCustomer] of groups) {
    for (const [ticketId, list] of perCustomer) {
      list.sort(byTimeThenLifecycle);
      let state = 0; // 0 = never opened, 1 = open, 2 = resolved
      let openedAt = Number.NaN;
      let firstResponseAt = Number.NaN;
      let resolvedAt = Number.NaN;
      let reopens = 0;
      for (const e of list) {
        if (e.type === OPENED) {
          if (state === 0) openedAt = e.timestamp;
          else if (state === 2) reopens++;
          state = 1;
        } else if (state === 0) {
          rejected.push({
            customerId,
            ticketId,
            type: e.type,
            timestamp: e.timestamp,
            reason:
              e.type === RESPONSE
                ? 'first response before the ticket was opened'
                : 'resolution before the ticket was opened',
          });
        } else if (e.type === RESPONSE) {
          if (Number.isNaN(firstResponseAt)) firstResponseAt = e.timestamp;
        } else if (state === 1) {
          resolvedAt = e.timestamp;
          state = 2;
        }
      }
      if (state === 0) continue;
      tickets.push({
        customerId,
        ticketId,
        openedAt,
        firstResponseAt,
        resolvedAt: state === 2 ? resolvedAt : Number.NaN,
        reopens,
      });
    }
  }
  return { tickets, rejected, customers: lo };
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
