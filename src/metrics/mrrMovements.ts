import { movementsOver } from './_mrr';
import { resolveSeries } from './_shared';
import { asIndex, type EventsInput } from './indexEvents';
import type { SeriesOptions, SeriesPoint } from './types';

/** The five kinds of MRR movement, plus start and end. */
export interface MrrAmounts {
  start: number;
  new: number;
  expansion: number;
  contraction: number;
  churned: number;
  reactivation: number;
  end: number;
}

/** One period of {@link mrrMovements}. `value` is MRR at period end; `n` customers with MRR > 0 then. */
export interface MrrMovementPoint extends SeriesPoint {
  value: number;
  /** Amounts in the unit of the event values (each is exactly `cents / 100`). */
  startMrr: number;
  endMrr: number;
  new: number;
  expansion: number;
  contraction: number;
  churned: number;
  reactivation: number;
  /** new + expansion − contraction − churned + reactivation (= endMrr − startMrr). */
  netChange: number;
  /** The same amounts in integer cents: `start + new + expansion − contraction − churned + reactivation === end` exactly. */
  cents: MrrAmounts;
  /** Number of customers in each state / movement (start and end: customers with MRR > 0). */
  customers: MrrAmounts;
}

/**
 * Monthly recurring revenue by period with its movement decomposition.
 *
 * **State machine** (per customer, MRR in integer cents, starting at 0; events in time order, ties
 * broken like `groupByCustomer`): `subscription_started` / `subscription_changed` set MRR to the
 * event's value (the MRR after the change); `subscription_renewed` sets it when it carries a value;
 * `subscription_cancelled` sets it to 0. Events without a usable value are ignored.
 *
 * **Movements** are netted per customer per period, comparing MRR at period start `s` with MRR at
 * period end `e` (an event exactly on a boundary belongs to the later period):
 * - `s = 0, e > 0`: **new** when the customer never had MRR > 0 before the period (first ever
 *   start), otherwise **reactivation** (back after a cancellation or a change to 0);
 * - `s > 0, e = 0`: **churned** (`s`);
 * - `0 < s < e`: **expansion** (`e − s`); `0 < e < s`: **contraction** (`s − e`).
 * So an upgrade and a downgrade in the same month count once, as their net; a customer who starts
 * and cancels within one period contributes nothing; one who cancels and returns within one period
 * counts as expansion or contraction by the price difference.
 *
 * **Reconciliation**: amounts are summed in integer cents, so for every period
 * `start + new + expansion − contraction − churned + reactivation === end` holds exactly in `cents`
 * (and to the cent in the unit fields). Values are rounded to cents when read.
 *
 * Missing data: customers without subscription events do not appear; a period with no MRR has all
 * amounts 0 and `n: 0` (never null).
 * * @param events validated events, an `EventStore` or an {@link EventIndex}; only `subscription_*` types are read, including those before
 *   `from` (they set the starting state).
 * @param options range, period (default month) and time zone.
 * @returns one point per period.
 * @throws ValidationError for an invalid range, period or time zone.
 * @example
 * ```ts
 * mrrMovements(events, { from: '2025-01-01', to: '2025-03-01' });
 * // => [{ periodStart: 1735689600000, periodEnd: 1738368000000, value: 1200, n: 12, startMrr: 1000,
 * //       new: 300, expansion: 50, contraction: 20, churned: 130, reactivation: 0, endMrr: 1200, ... }, ...]
 * ```
 */
export function mrrMovements(events: EventsInput, options: SeriesOptions): MrrMovementPoint[] {
  const { boundaries } = resolveSeries(options, 'mrrMovements');
  return movementsOver(asIndex(events, 'mrrMovements'), boundaries);
}
