import { checkOptions, ValidationError, type ValidationIssue } from '../_lib/errors';
import type { CompressedRfm, RfmColumns, RfmInput, RfmRow } from './types';

const MAX_ISSUES = 50;

function isCompressed(input: RfmInput): input is CompressedRfm {
  return !Array.isArray(input) && (input as CompressedRfm).kind === 'compressed-rfm';
}

/** Open-addressing hash of (x, t_x, T) triples into row slots; no allocation per customer. */
class TripleTable {
  keys: Int32Array;
  mask: number;
  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.keys = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
function mixDouble(h: number, v: number): number {
  f64[0] = v === 0 ? 0 : v; // -0 → 0
  h = Math.imul(h ^ (u32[0] as number), 0x9e3779b1);
  h = Math.imul(h ^ (u32[1] as number), 0x85ebca6b);
  return h ^ (h >>> 15);
}

/**
 * Validates a repeat-purchase summary and merges identical (x, t_x, T) rows into one row with a
 * count, which is what the fitters work on (CDNOW's 23,570 customers become a few thousand rows).
 *
 * Rules (each violation is reported with its row index): `frequency` is a finite integer ≥ 0;
 * `recency` and `T` are finite and 0 ≤ recency ≤ T; `recency` is 0 when `frequency` is 0; `count`,
 * when given, is finite and > 0. With `integerTimes` (BG/BB), recency and T must be integers too.
 * Missing-data policy: an empty input gives `rows: 0, customers: 0` (the fitters then throw
 * `InsufficientDataError`); invalid rows are never dropped silently, they throw.
 *
 * @param input rows `{ frequency, recency, T, count? }`, columns, or an already compressed summary
 *   (returned as is).
 * @param options `fn`: the public function named in errors (default `compressRfm`); `integerTimes`:
 *   require whole-number recency and T.
 * @returns typed-array columns `x, tx, T, count` with `rows` distinct rows and `customers` in total.
 * @throws {ValidationError} listing every invalid row (up to 50).
 * @example
 * ```ts
 * const c = compressRfm([
 *   { frequency: 0, recency: 0, T: 10 },
 *   { frequency: 0, recency: 0, T: 10 },
 *   { frequency: 2, recency: 4, T: 10 },
 * ]);
 * c.rows; // => 2
 * c.customers; // => 3
 * Array.from(c.count); // => [2, 1]
 * ```
 */
export function compressRfm(
  input: RfmInput,
  options: { fn?: string; integerTimes?: boolean } = {},
): CompressedRfm {
  // Read the caller name defensively: `options` may be anything (null was a TypeError here).
  const caller =
    typeof options === 'object' && options !== null && typeof options.fn === 'string'
      ? options.fn
      : 'compressRfm';
  checkOptions(caller, options, ['fn', 'integerTimes']);
  if (input === null || typeof input !== 'object')
    throw new ValidationError(caller, [
      {
        path: [],
        code: 'invalid_type',
        message: `data must be rows, columns or an rfmSummary result, got ${input === null ? 'null' : typeof input}`,
      },
    ]);
  if (isCompressed(input)) return input;
  const fn = caller;
  // The object rfmSummary returns: use its columns.
  if (
    !Array.isArray(input) &&
    !('frequency' in input) &&
    'columns' in input &&
    typeof input.columns === 'object' &&
    input.columns !== null
  )
    return compressRfm(input.columns, options);
  const integerTimes = options.integerTimes === true;
  let n: number;
  let getF: (i: number) => unknown;
  let getR: (i: number) => unknown;
  let getT: (i: number) => unknown;
  let getC: (i: number) => unknown;
  if (Array.isArray(input)) {
    const rows = input as readonly RfmRow[];
    n = rows.length;
    getF = (i) => (rows[i] as RfmRow | undefined)?.frequency;
    getR = (i) => (rows[i] as RfmRow | undefined)?.recency;
    getT = (i) => (rows[i] as RfmRow | undefined)?.T;
    getC = (i) => (rows[i] as RfmRow | undefined)?.count;
  } else {
    const cols = input as RfmColumns;
    n = cols.frequency?.length ?? 0;
    if (
      cols.recency?.length !== n ||
      cols.T?.length !== n ||
      (cols.count !== undefined && cols.count.length !== n)
    ) {
      throw new ValidationError(fn, [
        {
          path: [],
          code: 'invalid_columns',
          message: 'columns frequency, recency, T (and count) must have equal lengths',
        },
      ]);
    }
    getF = (i) => cols.frequency[i];
    getR = (i) => cols.recency[i];
    getT = (i) => cols.T[i];
    getC = cols.count === undefined ? () => undefined : (i) => (cols.count as ArrayLike<number>)[i];
  }
  const issues: ValidationIssue[] = [];
  const table = new TripleTable(Math.min(n, 1 << 22));
  let cap = 16;
  let x = new Float64Array(cap);
  let tx = new Float64Array(cap);
  let T = new Float64Array(cap);
  let count = new Float64Array(cap);
  let rows = 0;
  let customers = 0;
  for (let i = 0; i < n; i++) {
    const fv = getF(i);
    const rv = getR(i);
    const tv = getT(i);
    const cv = getC(i);
    if (typeof fv !== 'number' || !Number.isInteger(fv) || fv < 0) {
      if (issues.length < MAX_ISSUES)
        issues.push({
          index: i,
          path: ['frequency'],
          code: 'invalid_frequency',
          message: `"frequency" must be an integer >= 0, got ${String(fv)}`,
        });
      continue;
    }
    if (typeof rv !== 'number' || !Number.isFinite(rv) || rv < 0 || (integerTimes && !Number.isInteger(rv))) {
      if (issues.length < MAX_ISSUES)
        issues.push({
          index: i,
          path: ['recency'],
          code: 'invalid_recency',
          message: `"recency" must be a finite number >= 0${integerTimes ? ' (integer)' : ''}, got ${String(rv)}`,
        });
      continue;
    }
    if (
      typeof tv !== 'number' ||
      !Number.isFinite(tv) ||
      tv < rv ||
      (integerTimes && !Number.isInteger(tv))
    ) {
      if (issues.length < MAX_ISSUES)
        issues.push({
          index: i,
          path: ['T'],
          code: 'invalid_value',
          message: `"T" must be a finite number >= recency${integerTimes ? ' (integer)' : ''}, got ${String(tv)}`,
        });
      continue;
    }
    if (fv === 0 && rv !== 0) {
      if (issues.length < MAX_ISSUES)
        issues.push({
          index: i,
          path: ['recency'],
          code: 'invalid_recency',
          message: '"recency" must be 0 when "frequency" is 0',
        });
      continue;
    }
    if (integerTimes && fv > rv) {
      if (issues.length < MAX_ISSUES)
        issues.push({
          index: i,
          path: ['frequency'],
          code: 'invalid_frequency',
          message: '"frequency" cannot exceed "recency" in discrete time',
        });
      continue;
    }
    let c = 1;
    if (cv !== undefined) {
      if (typeof cv !== 'number' || !Number.isFinite(cv) || cv <= 0) {
        if (issues.length < MAX_ISSUES)
          issues.push({
            index: i,
            path: ['count'],
            code: 'invalid_count',
            message: `"count" must be a finite number > 0, got ${String(cv)}`,
          });
        continue;
      }
      c = cv;
    }
    if (issues.length > 0) continue;
    let h = mixDouble(mixDouble(mixDouble(0x811c9dc5, fv), rv), tv);
    let slot = h & table.mask;
    for (;;) {
      const k = table.keys[slot] as number;
      if (k === -1) {
        if (rows === cap) {
          cap *= 2;
          const grow = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
            const b = new Float64Array(cap);
            b.set(a);
            return b;
          };
          x = grow(x);
          tx = grow(tx);
          T = grow(T);
          count = grow(count);
        }
        x[rows] = fv;
        tx[rows] = rv;
        T[rows] = tv;
        count[rows] = c;
        table.keys[slot] = rows;
        rows++;
        if (rows * 2 > table.keys.length) rehash();
        break;
      }
      if (x[k] === fv && tx[k] === rv && T[k] === tv) {
        count[k] = (count[k] as number) + c;
        break;
      }
      h++;
      slot = h & table.mask;
    }
    customers += c;
  }
  function rehash(): void {
    const size = table.keys.length * 2;
    table.keys = new Int32Array(size).fill(-1);
    table.mask = size - 1;
    for (let k = 0; k < rows; k++) {
      let s =
        mixDouble(mixDouble(mixDouble(0x811c9dc5, x[k] as number), tx[k] as number), T[k] as number) &
        table.mask;
      while ((table.keys[s] as number) !== -1) s = (s + 1) & table.mask;
      table.keys[s] = k;
    }
  }
  if (issues.length > 0) throw new ValidationError(fn, issues, 'summary rows');
  return {
    kind: 'compressed-rfm',
    x: x.slice(0, rows),
    tx: tx.slice(0, rows),
    T: T.slice(0, rows),
    count: count.slice(0, rows),
    rows,
    customers,
  };
}
