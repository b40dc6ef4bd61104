/**
 * Learning a feature encoding from training records, in one read of the records (the values are
 * kept in a typed cache and encoded from there). Private to the churn module: `FeatureEncoder.fit`
 * and `trainChurnModel` call it.
 * @module
 */
import { InsufficientDataError } from '../_lib/errors';
import { columnStats, type DesignArena } from './_design';
import { numberOfText } from './_rowReader';
import { standardise } from './_standardise';
import type { EncodedColumn, EncodedFeature, EncoderMode } from './FeatureEncoder';
import type { FeatureRecord } from './types';

/** Code of a missing number in `tree` mode (finite, below any real feature value). */
export const MISSING_VALUE = -1e300;

/** Name of the shared one-hot column of rare categories (`plan=(other)`). */
export const OTHER_CATEGORY = '(other)';

/** What the fit noticed about the columns (the model turns these into warnings). */
export interface EncodingNotes {
  /** Features holding both numbers and text (encoded as categories, numbers as their text). */
  mixed: { name: string; numbers: number; texts: number }[];
  /** Features read from numeric text (`"29.85"`) as numbers. */
  numericText: string[];
  /** Categorical features with more levels than `maxCategories` (the rest share `(other)`). */
  capped: { name: string; levels: number }[];
}

/** Result of {@link fitEncoding}. */
export interface EncodingFit {
  features: EncodedFeature[];
  columns: EncodedColumn[];
  /** `n × d` row-major: linear mode `x / scale` (not centred), tree mode raw values. */
  matrix: Float64Array;
  notes: EncodingNotes;
  /** Non-zero cells of `matrix` (linear mode; -1 in tree mode, where nobody needs it). */
  nnz: number;
  /**
   * Linear mode: what was subtracted from each column before scaling (its center for the few
   * far-from-zero numeric columns, else 0): `matrix` holds `(x − shift) / scale`. Null in tree mode.
   */
  shift: Float64Array | null;
  /** Linear mode: some column of `matrix` is centred (`shift`) or zeroed (constant); not plain `x / scale`. */
  altered: boolean;
  /** The arena holding `matrix` (null: a plain array). */
  arena: DesignArena | null;
}

/**
 * Allocates an `n × d` matrix (zeroed): a plain array (`arena` null), or the matrix of a WebAssembly
 * arena (`arenaMatrix` in _design.ts), where the column sweeps run as kernels and the logistic fit
 * uses the matrix where it is.
 */
export type MatrixAlloc = (n: number, d: number) => { matrix: Float64Array; arena: DesignArena | null };

/** A plain (JavaScript heap) matrix. */
export const plainMatrix: MatrixAlloc = (n, d) => ({ matrix: new Float64Array(n * d), arena: null });

/** Largest value of `maxCategories` (one-hot columns per feature). */
export const MAX_CATEGORIES = 1000;

/**
 * An empty key list of the kind `Object.keys` returns: a literal `[]` (small-integer elements) would
 * make V8 deoptimise `sameKeys` the first time it compares it with a real key list.
 */
function noKeys(): string[] {
  return Object.keys({});
}

/** Own keys of records `[from, to)`, sorted (consecutive records with the same keys cost one compare per key). */
function collectNames(rows: readonly FeatureRecord[], from: number, to: number): string[] {
  const names = new Set<string>();
  let prev = noKeys();
  for (let i = from; i < to; i++) {
    const keys = Object.keys(rows[i] as FeatureRecord);
    if (sameKeys(keys, prev)) continue;
    for (const k of keys) names.add(k);
    prev = keys;
  }
  return Array.from(names).sort();
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Values of every cell: `num` (NaN = missing or text), `text` per feature for non-number cells. */
export interface CellCache {
  num: Float64Array;
  /** The arena holding `num` (null: a plain array). */
  arena: DesignArena | null;
  /** Per feature, the text of its flags and numeric-text cells (the category keys if it holds text). */
  text: (string[] | undefined)[];
  /** Per feature holding text, its categories (text cells coded as read; see {@link completeCodes}). */
  coding: (CategoryCoding | undefined)[];
  missing: Float64Array;
  numbers: Float64Array;
  texts: Float64Array;
  numericTexts: Float64Array;
  sum: Float64Array;
  /** Largest |x| of each feature's finite cells (0 when none). */
  maxAbs: Float64Array;
}

/** Records whose keys name the features in the one-visit read ({@link readCellsOnce}). */
const HEAD_ROWS = 1024;
/**
 * Records listed and then read together, while their properties are still in cache. Small enough
 * that a fresh process compiles `readRange` once, for its next call, rather than also on the fly
 * (on-stack replacement) in the middle of a long call: 256 rows cost a second compilation.
 */
const CHUNK_ROWS = 64;

/**
 * Reads every record in one visit: the keys of the first 1,024 records name the features; then,
 * chunk by chunk, each record's keys are listed and checked against those names, and the chunk's
 * values are read while the records are still in cache (about 7% faster than listing every record
 * before reading any on 80,000 × 40 rows). Returns null as soon as a later record has a key the
 * first ones lack; the caller then lists every record first ({@link readCells}), so the names are
 * always the union of every record's keys.
 */
function readCellsOnce(
  rows: readonly FeatureRecord[],
  head: number,
  alloc: MatrixAlloc,
): { names: string[]; cells: CellCache } | null {
  const n = rows.length;
  const names = collectNames(rows, 0, Math.min(n, head));
  const known = new Set(names);
  const c = newCache(n, names.length, alloc);
  const plan = readPlan(names);
  let prev = noKeys();
  for (let start = 0; start < n; start += CHUNK_ROWS) {
    const end = Math.min(n, start + CHUNK_ROWS);
    const last = knownKeys(rows, Math.max(start, head), end, known, prev);
    if (last === null) return null;
    prev = last;
    readRange(c, rows, plan, start, end);
  }
  countCells(c, n);
  return { names, cells: c };
}

/**
 * Checks that records `[from, to)` have only `known` keys; returns the last key list seen (records
 * with the same keys as the one before cost one compare per key), or null at the first unknown key.
 */
function knownKeys(
  rows: readonly FeatureRecord[],
  from: number,
  to: number,
  known: ReadonlySet<string>,
  prev: string[],
): string[] | null {
  let last = prev;
  for (let i = from; i < to; i++) {
    const keys = Object.keys(rows[i] as FeatureRecord);
    if (sameKeys(keys, last)) continue;
    for (let k = 0; k < keys.length; k++) if (!known.has(keys[k] as string)) return null;
    last = keys;
  }
  return last;
}

/** Reads every record with the given feature names (the union of their keys). */
function readCells(rows: readonly FeatureRecord[], names: readonly string[], alloc: MatrixAlloc): CellCache {
  const c = newCache(rows.length, names.length, alloc);
  readRange(c, rows, readPlan(names), 0, rows.length);
  countCells(c, rows.length);
  return c;
}

/** An empty cell cache of `n` records × `nf` features, its values in `alloc`'s matrix. */
export function newCache(n: number, nf: number, alloc: MatrixAlloc): CellCache {
  const { matrix, arena } = alloc(n, nf);
  return {
    num: matrix,
    arena,
    text: new Array(nf).fill(undefined),
    coding: new Array(nf).fill(undefined),
    missing: new Float64Array(nf),
    numbers: new Float64Array(nf),
    texts: new Float64Array(nf),
    numericTexts: new Float64Array(nf),
    sum: new Float64Array(nf),
    maxAbs: new Float64Array(nf),
  };
}

/** The feature names of a read, and which of them a plain record could inherit from Object.prototype. */
interface ReadPlan {
  names: readonly string[];
  inherited: Uint8Array;
  anyInherited: boolean;
}

function readPlan(names: readonly string[]): ReadPlan {
  const inherited = Uint8Array.from(names, (name) => (name in Object.prototype ? 1 : 0));
  return { names, inherited, anyInherited: inherited.includes(1) };
}

/**
 * Caches records `[from, to)`: numbers as they are, other cells through {@link otherCell}. Own
 * properties only, by `RowReader`'s rule (plain and null-prototype records: `hasOwn` only for names
 * Object.prototype also has; other records: `hasOwn` for every cell), read straight into the cache.
 */
function readRange(
  c: CellCache,
  rows: readonly FeatureRecord[],
  plan: ReadPlan,
  from: number,
  to: number,
): void {
  const num = c.num;
  const { names, inherited, anyInherited } = plan;
  const nf = names.length;
  const n = rows.length;
  for (let i = from, off = from * nf; i < to; i++, off += nf) {
    const rec = rows[i] as FeatureRecord;
    const proto = Object.getPrototypeOf(rec);
    const plain = proto === Object.prototype || proto === null;
    if (plain && !anyInherited) {
      // The usual case: a plain record and no feature name that Object.prototype also has.
      for (let fi = 0; fi < nf; fi++) {
        const v = rec[names[fi] as string];
        num[off + fi] = typeof v === 'number' ? v : otherCell(c, n, i, fi, v);
      }
      continue;
    }
    for (let fi = 0; fi < nf; fi++) {
      const name = names[fi] as string;
      const v = (plain && inherited[fi] === 0) || Object.hasOwn(rec, name) ? rec[name] : undefined;
      num[off + fi] = typeof v === 'number' ? v : otherCell(c, n, i, fi, v);
    }
  }
}

/** The per-feature counts, sums and largest |x|, from one sweep over the typed cache. */
export function countCells(c: CellCache, n: number): void {
  const { missing, numbers, texts } = c;
  const nf = c.text.length;
  columnStats(c.num, n, nf, numbers, c.sum, c.maxAbs, c.arena);
  // Text cells are NaN in the cache but not missing.
  for (let fi = 0; fi < nf; fi++) missing[fi] = n - (numbers[fi] as number) - (texts[fi] as number);
}

/**
 * The cache value of a cell that is not a number: booleans 0/1, numeric text its number (both
 * also kept as text), other text NaN (counted in `texts` and coded as a category right away),
 * anything else NaN (missing).
 */
export function otherCell(c: CellCache, n: number, i: number, fi: number, v: unknown): number {
  if (typeof v !== 'boolean' && typeof v !== 'string') return Number.NaN;
  const parsed = typeof v === 'boolean' ? (v ? 1 : 0) : numberOfText(v);
  if (parsed === null) return Number.NaN;
  if (parsed === undefined) {
    c.texts[fi] = (c.texts[fi] as number) + 1;
    codeCell(c, n, i, fi, v as string);
    return Number.NaN;
  }
  let t = c.text[fi];
  if (t === undefined) {
    t = new Array<string>(n);
    c.text[fi] = t;
  }
  t[i] = typeof v === 'boolean' ? String(v) : v;
  if (typeof v === 'string') c.numericTexts[fi] = (c.numericTexts[fi] as number) + 1;
  return parsed;
}

/** Gives row `i` of feature `fi` the code of category `key` (first-seen order). */
function codeCell(c: CellCache, n: number, i: number, fi: number, key: string): void {
  let k = c.coding[fi];
  if (k === undefined) {
    k = { firstSeen: new Map(), seenKeys: [], counts: [], codes: new Int32Array(n).fill(-1) };
    c.coding[fi] = k;
  }
  let t = k.firstSeen.get(key);
  if (t === undefined) {
    t = k.seenKeys.length;
    k.firstSeen.set(key, t);
    k.seenKeys.push(key);
    k.counts.push(0);
  }
  k.counts[t] = (k.counts[t] as number) + 1;
  k.codes[i] = t;
}

/** The categories of one feature's cells: their keys in first-seen order, counts, and each row's code. */
interface CategoryCoding {
  firstSeen: Map<string, number>;
  seenKeys: string[];
  counts: number[];
  /** Per row, the index of its key in `seenKeys` (-1: missing). */
  codes: Int32Array;
}

/**
 * Completes the coding of the features holding text: their text cells were coded as they were read
 * ({@link codeCell}); their other cells (numbers, flags, numeric text: a mixed column, rare) are
 * coded here by their key ({@link keyOf}). Missing cells keep code -1.
 */
function completeCodes(cells: CellCache, nf0: number, n: number): void {
  for (let fi = 0; fi < nf0; fi++) {
    if ((cells.texts[fi] as number) === 0 || (cells.numbers[fi] as number) === 0) continue;
    const codes = (cells.coding[fi] as CategoryCoding).codes;
    for (let i = 0; i < n; i++) {
      if ((codes[i] as number) >= 0) continue;
      const key = keyOf(cells, nf0, i, fi);
      if (key !== null) codeCell(cells, n, i, fi, key);
    }
  }
}

/** Category key of cell `i` of feature `fi` (null: missing). */
function keyOf(c: CellCache, nf: number, i: number, fi: number): string | null {
  const t = c.text[fi];
  const s = t === undefined ? undefined : t[i];
  if (s !== undefined) return s;
  const x = c.num[i * nf + fi] as number;
  return Number.isFinite(x) ? String(x) : null;
}

/**
 * Learns the encoding (see `FeatureEncoder`) and encodes the training rows, reading every record once.
 * @throws InsufficientDataError when there are no rows.
 */
export function fitEncoding(
  rows: readonly FeatureRecord[],
  maxCategories: number,
  mode: EncoderMode,
  head = HEAD_ROWS,
  alloc: MatrixAlloc = plainMatrix,
): EncodingFit {
  const n = rows.length;
  if (n === 0)
    throw new InsufficientDataError('trainChurnModel', 'no training rows', { available: 0, required: 1 });
  // The cache is the matrix when every feature is numeric and complete (linear mode: in `alloc`).
  const cacheAlloc = mode === 'linear' ? alloc : plainMatrix;
  let once = readCellsOnce(rows, head, cacheAlloc);
  if (once === null) {
    const all = collectNames(rows, 0, n);
    once = { names: all, cells: readCells(rows, all, cacheAlloc) };
  }
  return encodingOfCells(once.names, once.cells, n, maxCategories, mode, alloc);
}

/**
 * Learns the encoding from the cached cells of `n` records (features `names`, sorted; the cache
 * counted by {@link countCells}) and encodes them: the part of {@link fitEncoding} after the read,
 * shared with the columnar read of a training table (_tableInput.ts).
 */
export function encodingOfCells(
  names: readonly string[],
  cells: CellCache,
  n: number,
  maxCategories: number,
  mode: EncoderMode,
  alloc: MatrixAlloc = plainMatrix,
): EncodingFit {
  const nf0 = names.length;
  const notes: EncodingNotes = { mixed: [], numericText: [], capped: [] };
  const features: EncodedFeature[] = [];
  const source: number[] = [];
  /** Per kept feature: categorical, its coding and each first-seen code's one-hot column (-2: none); numeric, null. */
  const categories: ({ codes: Int32Array; column: Int32Array } | null)[] = [];
  completeCodes(cells, nf0, n);
  for (let fi = 0; fi < nf0; fi++) {
    const name = names[fi] as string;
    const texts = cells.texts[fi] as number;
    const numbers = cells.numbers[fi] as number;
    const missing = cells.missing[fi] as number;
    if (missing === n) continue; // carries no information
    const indicator = mode === 'linear' && missing > 0;
    if (texts > 0) {
      if (numbers > 0) notes.mixed.push({ name, numbers, texts });
      const { seenKeys, counts, codes } = cells.coding[fi] as CategoryCoding;
      const freq = new Map(seenKeys.map((k, t) => [k, counts[t] as number]));
      let kept: string[];
      if (freq.size <= maxCategories) kept = Array.from(freq.keys()).sort();
      else {
        notes.capped.push({ name, levels: freq.size });
        kept = Array.from(freq.entries())
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
          .slice(0, maxCategories)
          .map((e) => e[0])
          .sort();
        kept.push(OTHER_CATEGORY);
      }
      features.push({ name, type: 'categorical', impute: 0, categories: kept, missingIndicator: indicator });
      const column = new Map(kept.map((c, k) => [c, k]));
      const other = column.get(OTHER_CATEGORY) ?? -2;
      categories.push({ codes, column: Int32Array.from(seenKeys, (k) => column.get(k) ?? other) });
    } else {
      if ((cells.numericTexts[fi] as number) > 0) notes.numericText.push(name);
      const impute = mode === 'linear' ? (cells.sum[fi] as number) / numbers : MISSING_VALUE;
      features.push({ name, type: 'numeric', impute, categories: [], missingIndicator: indicator });
      categories.push(null);
    }
    source.push(fi);
  }
  const columns: EncodedColumn[] = [];
  const first: number[] = [];
  features.forEach((f, k) => {
    first.push(columns.length);
    if (f.type === 'numeric') columns.push({ feature: k, kind: 'value', center: 0, scale: 1 });
    else
      for (const c of f.categories)
        columns.push({ feature: k, kind: 'category', category: c, center: 0, scale: 1 });
    if (f.missingIndicator) columns.push({ feature: k, kind: 'missing', center: 0, scale: 1 });
  });
  // Every feature numeric and complete: the cache already is the encoded matrix (same column order).
  const dense =
    features.length === nf0 && features.every((f, k) => f.type === 'numeric' && cells.missing[k] === 0);
  const { matrix: x, arena } = dense
    ? { matrix: cells.num, arena: cells.arena }
    : encodeCells(
        cells,
        nf0,
        n,
        features,
        columns.length,
        first,
        source,
        categories,
        mode === 'linear' ? alloc : plainMatrix,
      );
  if (mode === 'tree')
    return { features, columns, matrix: x, notes, nnz: -1, arena: null, shift: null, altered: false };
  // Dense: the cache's sums and largest |x| are the matrix's (same cells, same order).
  const { nnz, shift, altered } = standardise(
    x,
    n,
    columns.length,
    columns,
    arena,
    dense ? cells : undefined,
  );
  return { features, columns, matrix: x, notes, nnz, arena, shift, altered };
}

/** Encodes the cached cells row by row (row-major reads and writes; categories from their first-seen codes). */
function encodeCells(
  cells: CellCache,
  nf0: number,
  n: number,
  features: readonly EncodedFeature[],
  d: number,
  first: readonly number[],
  source: readonly number[],
  categories: readonly ({ codes: Int32Array; column: Int32Array } | null)[],
  alloc: MatrixAlloc,
): { matrix: Float64Array; arena: DesignArena | null } {
  const made = alloc(n, d);
  const x = made.matrix;
  const nf = features.length;
  const numeric = Uint8Array.from(features, (f) => (f.type === 'numeric' ? 1 : 0));
  const impute = Float64Array.from(features, (f) => f.impute);
  const col = Int32Array.from(first);
  const src = Int32Array.from(source);
  const ind = Int32Array.from(features, (f, k) =>
    f.missingIndicator ? (first[k] as number) + (f.type === 'numeric' ? 1 : f.categories.length) : -1,
  );
  const num = cells.num;
  for (let i = 0; i < n; i++) {
    const out = i * d;
    const inp = i * nf0;
    for (let k = 0; k < nf; k++) {
      if (numeric[k] === 1) {
        const v = num[inp + (src[k] as number)] as number;
        if (v - v === 0) x[out + (col[k] as number)] = v;
        else {
          x[out + (col[k] as number)] = impute[k] as number;
          if ((ind[k] as number) >= 0) x[out + (ind[k] as number)] = 1;
        }
        continue;
      }
      const cat = categories[k] as { codes: Int32Array; column: Int32Array };
      const c = cat.codes[i] as number;
      if (c >= 0) {
        const oneHot = cat.column[c] as number;
        if (oneHot >= 0) x[out + (col[k] as number) + oneHot] = 1;
      } else if ((ind[k] as number) >= 0) x[out + (ind[k] as number)] = 1;
    }
  }
  return made;
}
