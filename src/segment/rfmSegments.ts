import { checkOptions, optionError } from '../_lib/errors';
import { fmtMoney, isCurrencyCode } from '../_lib/format';
import type { CustomerEvent, CustomerTimelines } from '../events/types';
import type { EventStore } from '../store/EventStore';
import type { VitalsWarning } from '../types';
import { isCheckedStore } from './_storeInput';
import {
  parseRfmSegmentMap,
  RFM_STANDARD_SEGMENTS,
  type RfmCellRule,
  type RfmSegmentMap,
  type ScoreRange,
} from './parseRfmSegmentMap';
import {
  type RfmResult,
  type RfmScore,
  type RfmScoresOptions,
  type RfmWarningCode,
  rfmScores,
} from './rfmScores';

/** Options of {@link rfmSegments}. */
export interface RfmSegmentsOptions extends Partial<RfmScoresOptions> {
  /**
   * Segment map (validated; may come from JSON). Custom maps work with any `bins`; the standard map
   * needs `bins: 5`. @default RFM_STANDARD_SEGMENTS
   */
  segments?: RfmSegmentMap | unknown;
}

/** One customer's segment. */
export interface RfmSegmentAssignment extends RfmScore {
  /** FM = ⌈(F + M) / 2⌉. */
  fm: number;
  segmentId: string;
  segment: string;
  /** The matched segment's rule, e.g. `R 5, FM 4–5 or R 4, FM 5`. */
  rule: string;
  /**
   * Why, e.g. `R=5 (last purchase 3 days ago), F=4 (7 purchases), M=5 (812.50) → FM=5 → Champions (R 5, FM 4–5 or R 4, FM 5)`;
   * money through `Intl.NumberFormat` (`M=5 (€812.50)` with `currency: 'EUR'`).
   * Built on first access (so scoring 1M customers does not build 1M strings); included by `JSON.stringify`.
   */
  readonly reason: string;
}

interface ReasonContext {
  /** Bit 1: every customer has this recency, 2: frequency, 4: monetary (said in the reason). */
  tied: number;
  money: { currency?: string };
}

class Assignment implements RfmSegmentAssignment {
  customerId: string;
  recencyDays: number;
  frequency: number;
  monetary: number;
  r: number;
  f: number;
  m: number;
  code: string;
  fm: number;
  segmentId: string;
  segment: string;
  rule: string;
  /** Shared by all assignments of a run: tied columns and the money format (not enumerable). */
  declare private readonly ctx: ReasonContext;
  constructor(c: RfmScore, fm: number, id: string, name: string, rule: string, ctx: ReasonContext) {
    Object.defineProperty(this, 'ctx', { value: ctx, enumerable: false });
    this.customerId = c.customerId;
    this.recencyDays = c.recencyDays;
    this.frequency = c.frequency;
    this.monetary = c.monetary;
    this.r = c.r;
    this.f = c.f;
    this.m = c.m;
    this.code = c.code;
    this.fm = fm;
    this.segmentId = id;
    this.segment = name;
    this.rule = rule;
  }
  get reason(): string {
    return (
      `R=${this.r} (last purchase ${this.recencyDays} day${this.recencyDays === 1 ? '' : 's'} ago${this.ctx.tied & 1 ? ', like every customer' : ''}), ` +
      `F=${this.f} (${this.frequency} purchase${this.frequency === 1 ? '' : 's'}${this.ctx.tied & 2 ? ', like every customer' : ''}), ` +
      `M=${this.m} (${fmtMoney(this.monetary, this.ctx.money)}${this.ctx.tied & 4 ? ', like every customer' : ''}) ` +
      `→ FM=${this.fm} → ${this.segment} (${this.rule})`
    );
  }
  toJSON(): Omit<RfmSegmentAssignment, 'reason'> & { reason: string } {
    const { customerId, recencyDays, frequency, monetary, r, f, m, code, fm, segmentId, segment, rule } =
      this;
    return {
      customerId,
      recencyDays,
      frequency,
      monetary,
      r,
      f,
      m,
      code,
      fm,
      segmentId,
      segment,
      rule,
      reason: this.reason,
    };
  }
}

/** Summary row of one segment. */
export interface RfmSegmentSummary {
  id: string;
  name: string;
  description: string | null;
  count: number;
  /** count / n, or 0 when n is 0. */
  share: number;
  /** Sum of the members' monetary values. */
  monetary: number;
  /** monetary / total monetary, or null when the total is 0. */
  monetaryShare: number | null;
}

/** Result of {@link rfmSegments}. */
export interface RfmSegmentsResult {
  customers: RfmSegmentAssignment[];
  /** One row per segment of the map, in map order, then the fallback (only if used). */
  segments: RfmSegmentSummary[];
  n: number;
  rfm: RfmResult;
  reason: string | null;
  /** The scoring's warnings (`rfm.warnings`), see `RfmWarningCode`; empty when all is well. */
  warnings: VitalsWarning<RfmWarningCode>[];
}

const FN = 'rfmSegments';
const SCORE_OPTIONS = ['asOf', 'bins', 'purchaseTypes', 'netOfRefunds', 'monetary', 'currency'] as const;

/**
 * Assigns every RFM-scored customer to exactly one named segment.
 *
 * Segments are tried in map order; a segment matches when any of its `match` rules holds (all ranges
 * of a rule inclusive, missing ranges match anything); the first match wins and customers matching
 * nothing go to the map's `fallback` (`Other` by default). The default map is
 * {@link RFM_STANDARD_SEGMENTS}, 11 segments that partition the R × FM grid (table in its docs).
 *
 * Missing data: customers without purchases are not scored, so they have no segment; with no scored
 * customers, `customers` is empty, every count is 0 and `reason` says why. Ties score the middle
 * position of the tied group (see {@link rfmScores}), so ten customers who each bought once yesterday
 * for $50 are "333" → Need Attention, not Lost, and their reason says every customer has the same
 * values; `warnings` repeats the scoring's (`no_spread`, `few_customers`).
 *
 * Order: `customers` follows `rfm.customers`, i.e. ascending customer id.
 *
 * @param input events, timelines or an `EventStore` (then `asOf` is required and {@link rfmScores}
 *   runs first, reading a store's columns), or an existing {@link RfmResult}.
 * @param options scoring options (when `input` is events) and the segment map.
 * @returns per-customer segment with reason, and a summary per segment (count, share, monetary share).
 * @throws ValidationError for an invalid segment map, a map whose ranges exceed `bins`, or the
 *   standard map with `bins` other than 5; also for a missing or invalid `asOf`.
 * @example
 * ```ts
 * const seg = rfmSegments(events, { asOf: '2025-01-01' });
 * seg.customers[0].segment; // => 'Champions'
 * seg.segments[0]; // => { id: 'champions', name: 'Champions', count: 212, share: 0.106, monetaryShare: 0.41, ... }
 * ```
 */
export function rfmSegments(
  input: readonly CustomerEvent[] | CustomerTimelines | EventStore | RfmResult,
  options: RfmSegmentsOptions = {},
): RfmSegmentsResult {
  checkOptions(FN, options, [...SCORE_OPTIONS, 'segments']);
  const o: RfmSegmentsOptions = options ?? {};
  const rfm = isRfmResult(input) ? input : scoreEvents(input, o);
  const map = o.segments === undefined ? RFM_STANDARD_SEGMENTS : parseRfmSegmentMap(o.segments, FN);
  if (map === RFM_STANDARD_SEGMENTS && rfm.bins !== 5) {
    throw optionError(
      FN,
      'segments',
      `the standard segments need bins = 5, got ${rfm.bins}; pass a custom map`,
    );
  }
  checkRanges(map, rfm.bins);

  const defs = map.segments;
  const fallback = map.fallback ?? { id: 'other', name: 'Other' };
  const counts = new Float64Array(defs.length + 1);
  const money = new Float64Array(defs.length + 1);
  // Precompute the segment of every (r, f, m) cell once: O(bins³ · rules), then O(1) per customer.
  const b = rfm.bins;
  const cell = segmentCells(defs, b);
  const ruleText = ruleTexts(defs);

  if (o.currency !== undefined && !isCurrencyCode(o.currency)) {
    throw optionError(FN, 'currency', 'must be an ISO 4217 code such as "EUR"', 'invalid_value');
  }
  // Columns where every customer has the same value: the reason says so (the score is the middle one).
  const tied = tiedColumns(rfm);
  const ctx: ReasonContext = { tied, money: o.currency === undefined ? {} : { currency: o.currency } };
  const customers: RfmSegmentAssignment[] = new Array(rfm.n);
  let totalMoney = 0;
  for (let j = 0; j < rfm.n; j++) {
    const c = rfm.customers[j] as RfmScore;
    const fm = Math.ceil((c.f + c.m) / 2);
    const s = cell[(c.r * (b + 1) + c.f) * (b + 1) + c.m] as number;
    const def = s < defs.length ? (defs[s] as { id: string; name: string }) : fallback;
    counts[s] = (counts[s] as number) + 1;
    money[s] = (money[s] as number) + c.monetary;
    totalMoney += c.monetary;
    customers[j] = new Assignment(c, fm, def.id, def.name, ruleText[s] as string, ctx);
  }
  const segments = segmentSummaries(defs, fallback, counts, money, rfm.n, totalMoney);
  return { customers, segments, n: rfm.n, rfm, reason: rfm.reason, warnings: rfm.warnings ?? [] };
}

/** Scores events (or a store) with the scoring options of `o`; `asOf` is required. */
function scoreEvents(
  input: readonly CustomerEvent[] | CustomerTimelines | EventStore,
  o: RfmSegmentsOptions,
): RfmResult {
  if (o.asOf === undefined) throw optionError(FN, 'asOf', 'is required when scoring events', 'required');
  isCheckedStore(FN, input); // a forged store fails here, named rfmSegments
  const scoring: RfmScoresOptions = { asOf: o.asOf };
  if (o.bins !== undefined) scoring.bins = o.bins;
  if (o.purchaseTypes !== undefined) scoring.purchaseTypes = o.purchaseTypes;
  if (o.netOfRefunds !== undefined) scoring.netOfRefunds = o.netOfRefunds;
  if (o.monetary !== undefined) scoring.monetary = o.monetary;
  if (o.currency !== undefined) scoring.currency = o.currency;
  return rfmScores(input, scoring);
}

/**
 * The segment of every (r, f, m) cell, computed once: O(bins³ · rules), then O(1) per customer. Index
 * `(r · (b + 1) + f) · (b + 1) + m`; `defs.length` = no rule matched.
 */
function segmentCells(defs: RfmSegmentMap['segments'], b: number): Int16Array {
  const cell = new Int16Array((b + 1) * (b + 1) * (b + 1)).fill(-1);
  for (let r = 1; r <= b; r++) {
    for (let f = 1; f <= b; f++) {
      for (let m = 1; m <= b; m++) {
        const fm = Math.ceil((f + m) / 2);
        let hit = defs.length;
        for (let s = 0; s < defs.length && hit === defs.length; s++) {
          const rules = (defs[s] as { match: readonly RfmCellRule[] }).match;
          for (const rule of rules) {
            if (inRange(rule.r, r) && inRange(rule.f, f) && inRange(rule.m, m) && inRange(rule.fm, fm)) {
              hit = s;
              break;
            }
          }
        }
        cell[(r * (b + 1) + f) * (b + 1) + m] = hit;
      }
    }
  }
  return cell;
}

/** Each segment's rules as text (the last entry: the fallback's). */
function ruleTexts(defs: RfmSegmentMap['segments']): string[] {
  const ruleText: string[] = new Array(defs.length + 1);
  for (let s = 0; s < defs.length; s++) {
    ruleText[s] = (defs[s] as { match: readonly RfmCellRule[] }).match.map(describeRule).join(' or ');
  }
  ruleText[defs.length] = 'no segment rule matched';
  return ruleText;
}

/** Bit mask of the columns where every customer has the same value: 1 recency, 2 frequency, 4 monetary. */
function tiedColumns(rfm: RfmResult): number {
  let tied = 0;
  const first = rfm.customers[0];
  if (first !== undefined && rfm.n > 1) {
    tied = 7;
    for (let j = 1; j < rfm.n && tied !== 0; j++) {
      const c = rfm.customers[j] as RfmScore;
      if (c.recencyDays !== first.recencyDays) tied &= ~1;
      if (c.frequency !== first.frequency) tied &= ~2;
      if (c.monetary !== first.monetary) tied &= ~4;
    }
  }
  return tied;
}

/** One summary per segment in map order, then the fallback when some customer fell to it. */
function segmentSummaries(
  defs: RfmSegmentMap['segments'],
  fallback: { id: string; name: string },
  counts: Float64Array,
  money: Float64Array,
  n: number,
  totalMoney: number,
): RfmSegmentSummary[] {
  const segments: RfmSegmentSummary[] = [];
  for (let s = 0; s <= defs.length; s++) {
    if (s === defs.length && counts[s] === 0) break;
    const def = s < defs.length ? (defs[s] as RfmSegmentMap['segments'][number]) : fallback;
    const count = counts[s] as number;
    segments.push({
      id: def.id,
      name: def.name,
      description: s < defs.length ? ((def as { description?: string }).description ?? null) : null,
      count,
      share: n > 0 ? count / n : 0,
      monetary: money[s] as number,
      monetaryShare: totalMoney > 0 ? (money[s] as number) / totalMoney : null,
    });
  }
  return segments;
}

function isRfmResult(x: unknown): x is RfmResult {
  return (
    typeof x === 'object' &&
    x !== null &&
    !Array.isArray(x) &&
    !(x instanceof Map) &&
    Array.isArray((x as RfmResult).customers) &&
    typeof (x as RfmResult).bins === 'number'
  );
}

function inRange(range: ScoreRange | undefined, v: number): boolean {
  if (range === undefined) return true;
  if (typeof range === 'number') return v === range;
  return v >= range[0] && v <= range[1];
}

function fmtRange(range: ScoreRange): string {
  if (typeof range === 'number') return String(range);
  return range[0] === range[1] ? String(range[0]) : `${range[0]}–${range[1]}`;
}

function describeRule(rule: RfmCellRule): string {
  const parts: string[] = [];
  if (rule.r !== undefined) parts.push(`R ${fmtRange(rule.r)}`);
  if (rule.f !== undefined) parts.push(`F ${fmtRange(rule.f)}`);
  if (rule.m !== undefined) parts.push(`M ${fmtRange(rule.m)}`);
  if (rule.fm !== undefined) parts.push(`FM ${fmtRange(rule.fm)}`);
  return parts.length > 0 ? parts.join(', ') : 'any scores';
}

function checkRanges(map: RfmSegmentMap, bins: number): void {
  map.segments.forEach((seg, i) => {
    seg.match.forEach((rule, j) => {
      for (const key of ['r', 'f', 'm', 'fm'] as const) {
        const range = rule[key];
        if (range === undefined) continue;
        const hi = typeof range === 'number' ? range : range[1];
        if (hi > bins) {
          throw optionError(
            FN,
            `segments.${i}.match.${j}.${key}`,
            `score ${hi} exceeds bins = ${bins} in segment "${seg.id}"`,
          );
        }
      }
    });
  });
}
