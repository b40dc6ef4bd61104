import { checkOptions } from '../_lib/errors';
import type { DateInput } from '../_lib/time';
import { readEpochMs, requireEpochMs } from '../_lib/time';
import { buildTickets, type RejectedTicketEvent, summariseSupport } from './_tickets';
import { asIndex, type EventsInput } from './indexEvents';
import type { DurationStats, MetricResult } from './types';

export { AVG_MONTH_MS } from './_shared';
export type { RejectedTicketEvent } from './_tickets';

/** Options of {@link supportMetrics}. */
export interface SupportMetricsOptions {
  /** "Now": events after it are ignored; tickets not resolved by then are open. Required. */
  asOf: DateInput;
  /** Only tickets first opened at or after this instant. @default the earliest ticket */
  from?: DateInput;
  /** Only tickets first opened before this instant. @default just after `asOf` */
  to?: DateInput;
  /**
   * Number of customers for "tickets per customer per month".
   * @default distinct customers with any event at or before `asOf`
   */
  customers?: number;
}

/** Result of {@link supportMetrics}. `value` is the median first-response time in hours. */
export interface SupportMetricsResult extends MetricResult {
  /** Tickets first opened in the window (this is `n`). */
  opened: number;
  /** Of those, resolved at `asOf` (a reopened ticket counts only once it is resolved again). */
  resolved: number;
  /** Of those, not resolved at `asOf` (missing resolution = open, never dropped). */
  open: number;
  /** Of the open ones, those without any first response yet. */
  awaitingResponse: number;
  /** Tickets reopened at least once (a `ticket_opened` after a `ticket_resolved`). */
  reopened: number;
  /** resolved / opened; null when no ticket was opened. */
  resolvedShare: number | null;
  /** reopened / opened; null when none opened. */
  reopenRate: number | null;
  /** Every ticket (whatever its open date) not resolved at `asOf`. */
  openAtAsOf: number;
  /** Time from first open to first response. */
  firstResponse: DurationStats;
  /** Time from first open to the last resolution (includes time spent reopened). */
  resolution: DurationStats;
  /**
   * Opened / customers / months of the window (0 without tickets); null without customers or when
   * the window is shorter than 7 days (a monthly rate would be extrapolated, not measured).
   */
  ticketsPerCustomerPerMonth: number | null;
  customers: number;
  /**
   * Every ticket event up to `asOf` that could not be placed (e.g. a response before the open), with
   * the reason: first those without a ticketId (in index order: input order, or a store's row
   * order), then lifecycle rejections ticket by ticket.
   */
  rejected: RejectedTicketEvent[];
}

/**
 * Support KPIs from ticket events (`ticket_opened`, `ticket_first_response`, `ticket_resolved`,
 * matched by `properties.ticketId` within a customer), as of `asOf`.
 *
 * Lifecycle per ticket (events sorted by time; at equal instants open < response < resolve):
 * - the first `ticket_opened` opens it; first-response time = first response − first open;
 * - `ticket_resolved` resolves it; a later `ticket_opened` **reopens** it (counted in `reopened`),
 *   it is open again until the next resolution, and its resolution time runs from the first open to
 *   the last resolution, so time spent reopened is included; a reopened ticket is one ticket;
 * - a response or resolution before the ticket was opened (or for a ticket never opened) is
 *   **rejected** and listed in `rejected` with the reason; the ticket then counts as unanswered;
 * - duplicate opens while open, later responses and duplicate resolutions are ignored.
 *
 * Missing data: tickets without a response or resolution count as open, never dropped; with no
 * tickets in the window `n` is 0, `value` null with a `reason`; duration stats are null when no
 * ticket has the duration. Times are in hours; median and p90 interpolate linearly (R type 7).
 * Tickets per customer per month = opened / customers / ((to − from) / average month).
 *
 * @param events validated events, an `EventStore` or an {@link EventIndex} (other types are ignored except for counting customers).
 * @param options `asOf` and the optional window.
 * @returns counts, shares, durations and rejected events.
 * @throws ValidationError for invalid dates or `customers`.
 * @example
 * ```ts
 * supportMetrics(events, { asOf: '2026-01-01' });
 * // => { value: 2.5, n: 120, opened: 120, resolved: 110, open: 10, reopened: 4,
 * //      firstResponse: { n: 118, medianHours: 2.5, p90Hours: 9.1, meanHours: 4.2 }, ... }
 * ```
 */
export function supportMetrics(events: EventsInput, options: SupportMetricsOptions): SupportMetricsResult {
  const fn = 'supportMetrics';
  checkOptions(fn, options, ['asOf', 'from', 'to', 'customers']);
  const asOf = requireEpochMs(options?.asOf, fn, 'asOf');
  const built = buildTickets(asIndex(events, fn), asOf);
  return summariseSupport(built.tickets, built.rejected, built.customers, {
    fn,
    asOf,
    from: readEpochMs(options.from, fn, 'from'),
    to: readEpochMs(options.to, fn, 'to'),
    customers: options.customers,
  });
}
