/**
 * `customer-vitals segment`: RFM segments. The table shows segment sizes; json/ndjson/csv give every
 * customer with R/F/M values, scores, segment and reason, in customer-id order.
 */
import { compareCodeUnits } from '../../_lib/order';
import { storeRevenueTotals } from '../../clv/_storeRevenue';
import type { CustomerEvent } from '../../events/types';
import { rfmScores, rfmSegments } from '../../segment/index';
import { type RfmResult, rfmFromTotals } from '../../segment/rfmScores';
import type { RfmSegmentAssignment } from '../../segment/rfmSegments';
import type { EventStore } from '../../store/EventStore';
import type { CommandResult } from '../output';
import { type AnalysisInput, isoDay, warningsOf } from './shared';

export function segmentCommand({ ctx, store, asOf }: AnalysisInput): CommandResult<RfmSegmentAssignment> {
  const currency = ctx.opts.currency('currency');
  // Store-native: rfmScores' per-customer totals read from the columns, no event object at all.
  return segmentResult(rfmFromStore(store, asOf, currency), asOf, currency);
}

/**
 * `rfmScores(events, { asOf, currency })` (default options: purchases of type `purchase`, net of
 * `refund`s, total spend, 5 bins) from the store's columns: the per-customer totals (last purchase
 * time, purchases, Σ purchase values, Σ |refund values| on or before `asOf`) of the one store
 * revenue reader CLV uses too (`storeRevenueTotals`), then rfmScores' own scoring (`rfmFromTotals`).
 */
export function rfmFromStore(store: EventStore, asOf: number, currency: string | undefined): RfmResult {
  return rfmFromTotals(storeRevenueTotals(store, asOf), asOf, 5, false, currency);
}

/** The segment command's result from events (or RFM scores computed in SQL by `--engine duckdb`). */
export function segmentResult(
  events: readonly CustomerEvent[] | RfmResult,
  asOf: number,
  currency: string | undefined,
): CommandResult<RfmSegmentAssignment> {
  const money = currency ? { currency } : {};
  const rfm = Array.isArray(events)
    ? rfmScores(events as readonly CustomerEvent[], { asOf, ...money })
    : (events as RfmResult);
  const result = rfmSegments(rfm, money);
  const customers = [...result.customers].sort((a, b) => compareCodeUnits(a.customerId, b.customerId));
  const sizes = [...result.segments].filter((s) => s.count > 0).sort((a, b) => b.count - a.count);
  const why = result.reason ?? result.rfm.reason;
  return {
    title: `RFM segments as of ${isoDay(asOf)}: ${customers.length} customers${customers.length === 0 && why ? ` (${why})` : ''}`,
    items: customers,
    columns: [
      { name: 'customer', get: (c) => c.customerId },
      { name: 'recencyDays', get: (c) => c.recencyDays },
      { name: 'frequency', get: (c) => c.frequency },
      { name: currency ? `monetary (${currency})` : 'monetary', get: (c) => c.monetary },
      { name: 'r', get: (c) => c.r },
      { name: 'f', get: (c) => c.f },
      { name: 'm', get: (c) => c.m },
      { name: 'code', get: (c) => c.code },
      { name: 'segment', get: (c) => c.segment },
      { name: 'reason', get: (c) => c.reason },
    ],
    table: {
      header: ['segment', 'customers', 'share', 'monetary share'],
      rows: sizes.map((s) => [
        s.name,
        s.count,
        `${(100 * s.share).toFixed(1)}%`,
        s.monetaryShare === null ? '' : `${(100 * s.monetaryShare).toFixed(1)}%`,
      ]),
    },
    meta: {
      asOf: new Date(asOf).toISOString(),
      segments: result.segments,
      cutoffs: result.rfm.cutoffs,
      bins: result.rfm.bins,
    },
    warnings: warningsOf(result, result.rfm),
    ...(customers.length === 0
      ? { emptyReason: why ?? 'no customer with a purchase on or before --as-of' }
      : {}),
  };
}
