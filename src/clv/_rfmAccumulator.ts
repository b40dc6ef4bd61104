/**
 * The per-customer arithmetic of {@link rfmSummary} (private to the module), shared by its event and
 * store paths so they agree bit for bit.
 * @module
 */
import { MS_PER_DAY } from '../_lib/time';
import type { VitalsWarning } from '../types';
import type { RfmCustomer, RfmSummary } from './rfmSummary';
import type { ClvWarningCode, TimeUnit } from './types';

/**
 * Per-customer summary rows from each customer's purchases and refunds (time, signed value,
 * refund flag), in order: the one piece of arithmetic both paths share, so they agree bit for bit.
 */
export class RfmAccumulator {
  readonly rows: RfmCustomer[] = [];
  private newInHoldout = 0;
  private refundsWithoutPurchase = 0;
  private negative = 0;

  constructor(
    private readonly calEnd: number | null,
    private readonly endDay: number,
    private readonly perUnit: number,
  ) {}

  /** Adds one customer: rows `s .. e - 1` of the columns, in order. */
  add(
    customerId: string,
    time: Float64Array,
    val: Float64Array,
    isRefund: Uint8Array,
    s: number,
    e: number,
  ): void {
    const calEnd = this.calEnd;
    const perUnit = this.perUnit;
    let firstDay = Number.NaN;
    let lastDay = Number.NaN;
    let firstAt = Number.NaN;
    let lastAt = Number.NaN;
    let days = 0;
    let repeatValue = 0;
    let total = 0;
    let firstValue = 0;
    let refunds = 0;
    let pendingRefund = 0; // refunds before the first purchase
    let holdDays = 0;
    let holdValue = 0;
    let holdPurchases = 0;
    let prevHold = Number.NaN;
    let refundEvents = 0;
    for (let i = s; i < e; i++) {
      const t = time[i] as number;
      const v = val[i] as number;
      const refund = isRefund[i] === 1;
      const d = Math.floor(t / MS_PER_DAY);
      if (refund) refundEvents++;
      if (calEnd !== null && t > calEnd) {
        if (refund) {
          holdValue += v;
          continue;
        }
        holdPurchases++;
        if (d !== prevHold) {
          holdDays++;
          prevHold = d;
        }
        holdValue += v;
        continue;
      }
      total += v;
      if (refund) {
        refunds -= v;
        if (Number.isNaN(firstDay)) pendingRefund += v;
        else if (lastDay === firstDay) firstValue += v;
        else repeatValue += v;
        continue;
      }
      if (Number.isNaN(firstDay)) {
        firstDay = d;
        firstAt = t;
        firstValue += pendingRefund;
        pendingRefund = 0;
      }
      lastAt = t;
      if (d !== lastDay) {
        days++;
        lastDay = d;
      }
      if (d === firstDay) firstValue += v;
      else repeatValue += v;
    }
    if (Number.isNaN(firstDay)) {
      if (holdPurchases > 0) this.newInHoldout++;
      else this.refundsWithoutPurchase += refundEvents;
      return;
    }
    const x = days - 1;
    const row: RfmCustomer = {
      customerId,
      frequency: x,
      recency: x > 0 ? (lastDay - firstDay) / perUnit : 0,
      T: Math.max(0, this.endDay - firstDay) / perUnit,
      monetaryValue: x > 0 ? repeatValue / x : 0,
      totalValue: total,
      firstValue,
      refunds,
      firstPurchaseAt: firstAt,
      lastPurchaseAt: lastAt,
    };
    if (total < 0 || (x > 0 && repeatValue < 0)) this.negative++;
    if (calEnd !== null) {
      row.holdoutFrequency = holdDays;
      row.holdoutMonetaryValue = holdDays > 0 ? holdValue / holdDays : 0;
    }
    this.rows.push(row);
  }

  result(unit: TimeUnit, asOf: number, afterAsOf: number, nonPurchase: number): RfmSummary {
    const rows = this.rows;
    const m = rows.length;
    const cols = {
      frequency: new Float64Array(m),
      recency: new Float64Array(m),
      T: new Float64Array(m),
      monetaryValue: new Float64Array(m),
    };
    for (let i = 0; i < m; i++) {
      const r = rows[i] as RfmCustomer;
      cols.frequency[i] = r.frequency;
      cols.recency[i] = r.recency;
      cols.T[i] = r.T;
      cols.monetaryValue[i] = r.monetaryValue;
    }
    const warnings: VitalsWarning<ClvWarningCode>[] = [];
    const negative = this.negative;
    if (negative > 0)
      warnings.push({
        code: 'negative_net_revenue',
        message: `${negative} customer${negative === 1 ? '' : 's'} refunded more than they bought (negative net revenue in total or on their repeat purchases); their values stay negative here, and spend models leave them out.`,
      });
    const calEnd = this.calEnd;
    return {
      customers: rows,
      columns: cols,
      timeUnit: unit,
      asOf,
      calibrationEnd: calEnd,
      holdoutDuration: calEnd === null ? 0 : (Math.floor(asOf / MS_PER_DAY) - this.endDay) / this.perUnit,
      ignored: {
        afterAsOf,
        newInHoldout: this.newInHoldout,
        nonPurchase,
        refundsWithoutPurchase: this.refundsWithoutPurchase,
      },
      warnings,
    };
  }
}
