/**
 * Purchases and refunds read from an `EventStore`'s columns, under the one net-revenue rule of
 * `_lib/revenue` (`+value` for a purchase, `−|value|` for a refund, 0 without a value), with no
 * event object built. One reader for every store-native revenue computation: `rfmSummary` (and so
 * `historicalClv` and `estimateClv`) and the RFM totals of segment's `rfmScores` in the CLI.
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { emptyRfmTotals, type RfmTotals } from '../segment/rfmScores';
import type { EventStore } from '../store/EventStore';

/**
 * The door check of a store given to a clv function: the columns the revenue reader reads, with
 * consistent lengths (an object that only says `kind: 'event-store'` is a located
 * `ValidationError`, not a TypeError deep inside).
 */
export function requireStoreColumns(fn: string, store: EventStore): void {
  const s = store as Partial<Record<keyof EventStore, unknown>>;
  const n = s.length;
  const ids = s.customerIds;
  const off = s.offsets;
  const problem = !Number.isInteger(n)
    ? '"length" is not an integer'
    : !Array.isArray(ids) || !Array.isArray(s.types)
      ? '"customerIds" and "types" must be arrays'
      : !(off instanceof Int32Array) || off.length !== ids.length + 1 || off[ids.length] !== n
        ? '"offsets" must be an Int32Array of customerIds.length + 1 row offsets ending at "length"'
        : !(s.time instanceof Float64Array) || s.time.length !== n
          ? '"time" must be a Float64Array of "length" values'
          : !(s.typeCode instanceof Uint16Array) || s.typeCode.length !== n
            ? '"typeCode" must be a Uint16Array of "length" values'
            : !(s.value instanceof Float64Array) || s.value.length !== n
              ? '"value" must be a Float64Array of "length" values'
              : !(s.hasValue instanceof Uint8Array) || s.hasValue.length !== n
                ? '"hasValue" must be a Uint8Array of "length" values'
                : null;
  if (problem !== null)
    throw new ValidationError(fn, [
      {
        path: ['events'],
        code: 'invalid_type',
        message: `not an EventStore (from toEventStore or EventStoreBuilder): ${problem}`,
      },
    ]);
}

/**
 * One customer's purchase and refund rows at or before `asOf`, in the order the event path of
 * `rfmSummary` reads them: by time; at one instant purchases before refunds (a refund stamped with
 * its order belongs to it), each kind in the store's order (eventId, then value: `compareEvents`).
 * `read(c)` fills `time`, `value` (signed, the net-revenue rule) and `refund` (1 for a refund) from
 * index 0 and returns the count. Scratch arrays are sized once to the longest customer: no
 * allocation per customer or row.
 */
export class StoreRevenueReader {
  /** Epoch ms per read row. */
  readonly time: Float64Array;
  /** Signed revenue per read row: `+value` (purchase), `−|value|` (refund), 0 without a value. */
  readonly value: Float64Array;
  /** 1 where the read row is a refund. */
  readonly refund: Uint8Array;
  /** Purchases and refunds after `asOf` seen by `read` so far. */
  afterAsOf = 0;
  private readonly purchase: number;
  private readonly refundCode: number;

  constructor(
    private readonly store: EventStore,
    purchaseType: string,
    refundType: string,
    private readonly asOf: number,
  ) {
    this.purchase = store.types.indexOf(purchaseType);
    this.refundCode = refundType === purchaseType ? -1 : store.types.indexOf(refundType);
    const off = store.offsets;
    let longest = 0;
    for (let c = 0; c + 1 < off.length; c++) {
      const n = (off[c + 1] as number) - (off[c] as number);
      if (n > longest) longest = n;
    }
    this.time = new Float64Array(longest);
    this.value = new Float64Array(longest);
    this.refund = new Uint8Array(longest);
  }

  /** True when the store has neither the purchase nor the refund type (nothing to read). */
  get empty(): boolean {
    return this.purchase === -1 && this.refundCode === -1;
  }

  /** Rows of the store whose type is neither the purchase nor the refund type. */
  otherRows(): number {
    const { typeCode, length } = this.store;
    const p = this.purchase;
    const r = this.refundCode;
    let n = 0;
    for (let i = 0; i < length; i++) {
      const k = typeCode[i] as number;
      if (k !== p && k !== r) n++;
    }
    return n;
  }

  /** Reads customer `c` (index into `store.customerIds`); returns the number of rows read. */
  read(c: number): number {
    const { time: t, typeCode, value: v, hasValue, offsets } = this.store;
    const p = this.purchase;
    const r = this.refundCode;
    const asOf = this.asOf;
    const outT = this.time;
    const outV = this.value;
    const outR = this.refund;
    const end = offsets[c + 1] as number;
    let n = 0;
    let i = offsets[c] as number;
    while (i < end) {
      const at = t[i] as number;
      // Rows of one instant: [i, j). Usually one row; store order is by type name, so a refund type
      // that sorts before the purchase type would come first: purchases are taken first.
      let j = i + 1;
      while (j < end && t[j] === at) j++;
      let refunds = 0;
      for (let k = i; k < j; k++) {
        const code = typeCode[k] as number;
        if (code === r) refunds++;
        else if (code === p) {
          if (!(at <= asOf)) {
            this.afterAsOf++;
            continue;
          }
          outT[n] = at;
          outV[n] = hasValue[k] === 1 ? (v[k] as number) : 0;
          outR[n] = 0;
          n++;
        }
      }
      if (refunds > 0) {
        if (!(at <= asOf)) this.afterAsOf += refunds;
        else
          for (let k = i; k < j; k++) {
            if (typeCode[k] !== r) continue;
            outT[n] = at;
            outV[n] = hasValue[k] === 1 ? -Math.abs(v[k] as number) : 0;
            outR[n] = 1;
            n++;
          }
      }
      i = j;
    }
    return n;
  }
}

/**
 * Per-customer RFM totals from a store, the store-native first half of `rfmScores` with its
 * default types (customers with a purchase or refund at or before `asOf`, ascending id: last
 * purchase time, purchases, Σ purchase values, Σ |refund values|). Sums run in the order of
 * {@link StoreRevenueReader}.
 */
export function storeRevenueTotals(
  store: EventStore,
  asOf: number,
  purchaseType = 'purchase',
  refundType = 'refund',
): RfmTotals {
  const reader = new StoreRevenueReader(store, purchaseType, refundType, asOf);
  const nc = store.customerIds.length;
  const totals = emptyRfmTotals(nc);
  if (reader.empty) return totals;
  const { ids, last, count, spend, refunds } = totals;
  let m = 0;
  const { time, value, refund } = reader;
  for (let c = 0; c < nc; c++) {
    const n = reader.read(c);
    if (n === 0) continue;
    for (let k = 0; k < n; k++) {
      if (refund[k] === 1) {
        refunds[m] = (refunds[m] as number) - (value[k] as number);
        continue;
      }
      count[m] = (count[m] as number) + 1;
      spend[m] = (spend[m] as number) + (value[k] as number);
      const t = time[k] as number;
      if (t > (last[m] as number)) last[m] = t;
    }
    ids.push(store.customerIds[c] as string);
    m++;
  }
  totals.m = m;
  return totals;
}
