/** `customer-vitals clv`: 12-month customer lifetime value, highest first. */

import type { CustomerClv } from '../../clv/estimateClv';
import { estimateClv } from '../../clv/index';
import type { RfmSummary } from '../../clv/rfmSummary';
import type { CustomerEvent } from '../../events/types';
import type { EventStore } from '../../store/EventStore';
import type { CommandResult } from '../output';
import { type AnalysisInput, fixed, isoDay, warningsOf } from './shared';

export function clvCommand({ ctx, store, asOf }: AnalysisInput): CommandResult<CustomerClv> {
  // Store-native: estimateClv's RFM summary reads the purchase and refund columns, no event object.
  return clvResult(store, asOf, ctx.opts.currency('currency'));
}

/**
 * The clv command's result from the store (or events, or an RFM summary computed in SQL by
 * `--engine duckdb`).
 */
export function clvResult(
  events: EventStore | readonly CustomerEvent[] | Omit<RfmSummary, 'ignored'>,
  asOf: number,
  currency: string | undefined,
): CommandResult<CustomerClv> {
  const r = estimateClv(events, { asOf, horizonMonths: 12, ...(currency ? { currency } : {}) });
  const customers = [...r.customers].sort(
    (a, b) => (b.value ?? -1) - (a.value ?? -1) || (a.customerId < b.customerId ? -1 : 1),
  );
  const { customers: _c, model, spendModel, ...rest } = r;
  return {
    title: `12-month CLV as of ${isoDay(asOf)} (${r.method}: ${r.reason})`,
    items: customers,
    columns: [
      { name: 'customer', get: (c) => c.customerId },
      { name: currency ? `clv (${currency})` : 'clv', get: (c) => fixed(c.value, 2) },
      { name: 'P(alive)', get: (c) => fixed(c.probabilityAlive, 2) },
      { name: 'expected purchases', get: (c) => fixed(c.expectedPurchases, 2), table: false },
      { name: 'average value', get: (c) => fixed(c.averageValue, 2), table: false },
      { name: 'historical value', get: (c) => fixed(c.historicalValue, 2), table: false },
      { name: 'explanation', get: (c) => c.explanation },
    ],
    meta: {
      asOf: new Date(asOf).toISOString(),
      currency: currency ?? null,
      ...rest,
      model: model ? model.toJSON() : null,
      spendModel: spendModel ? spendModel.toJSON() : null,
    },
    warnings: warningsOf(r),
    ...(customers.length === 0 ? { emptyReason: `no customer valued (${r.reason})` } : {}),
  };
}
