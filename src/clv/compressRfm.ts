import { checkOptions, ValidationError, type ValidationIssue } from '../_lib/errors';
import type { CompressedRfm, RfmColumns, RfmInput, RfmRow } from './types';

const MAX_ISSUES = 50;

function isCompressed(input: RfmInput): input is CompressedRfm {
  return !Array.isArray(input) && (input as CompressedRfm).kind === 'compressed-rfm';
}

/**
 * Open-addressing hash of (x, t_x, T) triples into row slots, and the distinct rows with their
 * counts; no allocation per customer.
 */
class TripleTable {
  keys: Int32Array;
  mask: number;
  x = new Float64Array(16);
  tx = new Float64Array(16);
  T = new Float64Array(16);
  count = new Float64Array(16);
  rows = 0;
  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.keys = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** Adds `c` customers at (fv, rv, tv): a new row, or the count of the row already there. */
  add(fv: number, rv: number, tv: number, c: number): void {
    let h = mixDouble(mixDouble(mixDouble(0x811c9dc5, fv), rv), tv);
    let slot = h & this.mask;
    for (;;) {
      const k = this.keys[slot] as number;
      if (k === -1) {
        const rows = this.rows;
        if (rows === this.x.length) this.grow();
        this.x[rows] = fv;
        this.tx[rows] = rv;
        this.T[rows] = tv;
        this.count[rows] = c;
        this.keys[slot] = rows;
        this.rows = rows + 1;
        if (this.rows * 2 > this.keys.length) this.rehash();
        return;
      }
      if (this.x[k] === fv && this.tx[k] === rv && this.T[k] === tv) {
        this.count[k] = (this.count[k] as number) + c;
        return;
      }
      h++;
      slot = h & this.mask;
    }
  }

  /** Doubles the row columns. */
  private grow(): void {
    const cap = this.x.length * 2;
    const grow = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.x = grow(this.x);
    this.tx = grow(this.tx);
    this.T = grow(this.T);
    this.count = grow(this.count);
  }

  /** Doubles the slot table and re-inserts every row. */
  private rehash(): void {
    const size = this.keys.length * 2;
    this.keys = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let k = 0; k < this.rows; k++) {
      let s =
        mixDouble(
          mixDouble(mixDouble(0x811c9dc5, this.x[k] as number), this.tx[k] as number),
          this.T[k] as number,
        ) & this.mask;
      while ((this.keys[s] as number) !== -1) s = (s + 1) & this.mask;
      this.keys[s] = k;
    }
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
  const { n, getF, getR, getT, getC } = accessors(fn, input as readonly RfmRow[] | RfmColumns);
  const issues: ValidationIssue[] = [];
  const table = new TripleTable(Math.min(n, 1 << 22));
  let customers = 0;
  for (let i = 0; i < n; i++) {
    const fv = getF(i);
    const rv = getR(i);
    const tv = getT(i);
    const cv = getC(i);
    const problem = rowProblem(fv, rv, tv, cv, integerTimes);
    if (problem !== OK) {
      if (issues.length < MAX_ISSUES) issues.push(rowIssue(problem, i, fv, rv, tv, cv, integerTimes));
      continue;
    }
    const c = cv === undefined ? 1 : (cv as number);
    if (issues.length > 0) continue;
    table.add(fv as number, rv as number, tv as number, c);
    customers += c;
  }
  if (issues.length > 0) throw new ValidationError(fn, issues, 'summary rows');
  const rows = table.rows;
  return {
    kind: 'compressed-rfm',
    x: table.x.slice(0, rows),
    tx: table.tx.slice(0, rows),
    T: table.T.slice(0, rows),
    count: table.count.slice(0, rows),
    rows,
    customers,
  };
}

/** Row count and per-row readers of rows or columns (columns of unequal length throw). */
function accessors(
  fn: string,
  input: readonly RfmRow[] | RfmColumns,
): {
  n: number;
  getF: (i: number) => unknown;
  getR: (i: number) => unknown;
  getT: (i: number) => unknown;
  getC: (i: number) => unknown;
} {
  if (Array.isArray(input)) {
    const rows = input as readonly RfmRow[];
    return {
      n: rows.length,
      getF: (i) => (rows[i] as RfmRow | undefined)?.frequency,
      getR: (i) => (rows[i] as RfmRow | undefined)?.recency,
      getT: (i) => (rows[i] as RfmRow | undefined)?.T,
      getC: (i) => (rows[i] as RfmRow | undefined)?.count,
    };
  }
  const cols = input as RfmColumns;
  const n = cols.frequency?.length ?? 0;
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
  return {
    n,
    getF: (i) => cols.frequency[i],
    getR: (i) => cols.recency[i],
    getT: (i) => cols.T[i],
    getC: cols.count === undefined ? () => undefined : (i) => (cols.count as ArrayLike<number>)[i],
  };
}

const OK = 0;
const BAD_FREQUENCY = 1;
const BAD_RECENCY = 2;
const BAD_T = 3;
const RECENCY_NOT_0 = 4;
const FREQUENCY_OVER_RECENCY = 5;
const BAD_COUNT = 6;

/** The first rule a row breaks (checked in this order), or OK. */
function rowProblem(fv: unknown, rv: unknown, tv: unknown, cv: unknown, integerTimes: boolean): number {
  if (typeof fv !== 'number' || !Number.isInteger(fv) || fv < 0) return BAD_FREQUENCY;
  if (typeof rv !== 'number' || !Number.isFinite(rv) || rv < 0 || (integerTimes && !Number.isInteger(rv)))
    return BAD_RECENCY;
  if (typeof tv !== 'number' || !Number.isFinite(tv) || tv < rv || (integerTimes && !Number.isInteger(tv)))
    return BAD_T;
  if (fv === 0 && rv !== 0) return RECENCY_NOT_0;
  if (integerTimes && fv > rv) return FREQUENCY_OVER_RECENCY;
  if (cv !== undefined && (typeof cv !== 'number' || !Number.isFinite(cv) || cv <= 0)) return BAD_COUNT;
  return OK;
}

/** The located issue of row `i` breaking rule `problem`. */
function rowIssue(
  problem: number,
  i: number,
  fv: unknown,
  rv: unknown,
  tv: unknown,
  cv: unknown,
  integerTimes: boolean,
): ValidationIssue {
  switch (problem) {
    case BAD_FREQUENCY:
      return {
        index: i,
        path: ['frequency'],
        code: 'invalid_frequency',
        message: `"frequency" must be an integer >= 0, got ${String(fv)}`,
      };
    case BAD_RECENCY:
      return {
        index: i,
        path: ['recency'],
        code: 'invalid_recency',
        message: `"recency" must be a finite number >= 0${integerTimes ? ' (integer)' : ''}, got ${String(rv)}`,
      };
    case BAD_T:
      return {
        index: i,
        path: ['T'],
        code: 'invalid_value',
        message: `"T" must be a finite number >= recency${integerTimes ? ' (integer)' : ''}, got ${String(tv)}`,
      };
    case RECENCY_NOT_0:
      return {
        index: i,
        path: ['recency'],
        code: 'invalid_recency',
        message: '"recency" must be 0 when "frequency" is 0',
      };
    case FREQUENCY_OVER_RECENCY:
      return {
        index: i,
        path: ['frequency'],
        code: 'invalid_frequency',
        message: '"frequency" cannot exceed "recency" in discrete time',
      };
    default:
      return {
        index: i,
        path: ['count'],
        code: 'invalid_count',
        message: `"count" must be a finite number > 0, got ${String(cv)}`,
      };
  }
}
