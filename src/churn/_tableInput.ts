/**
 * Columnar feature tables (`ChurnColumns`, `ChurnTrainingTable`), once checked (_tableCheck.ts): the
 * training read straight into the encoder's cell cache (typed loops, no per-cell property lookup,
 * no per-row garbage), the per-encoder view used for scoring, and the equivalent rows. Private to
 * the churn module.
 * @module
 */
import { compareCodeUnits } from '../_lib/order';
import { nullProtoObject } from '../_lib/safe';
import { type CellCache, countCells, type MatrixAlloc, newCache, otherCell } from './_fitEncoder';
import { cellCategory, cellNumber } from './_rowReader';
import type { TableView } from './_tableCheck';
import type { ChurnFeatureTable } from './churnFeatures';
import type { EncodedFeature } from './FeatureEncoder';
import type { FeatureValue, ScoringRow } from './types';

/**
 * Rows read together: each feature's cells of a block are written while its rows stay in cache
 * (80,000 × 40: 9.6-9.8 ms at 256 to 2,048 rows, 11 column by column, warm).
 */
const BLOCK_ROWS = 256;

/**
 * Reads the table's columns `names` (sorted; each a numeric or categorical column of `view`) into a
 * cell cache exactly as `fitEncoding` reads the equivalent rows: numbers as they are (NaN for null
 * and masked cells), text through the row path's `otherCell` (numeric text as its number, blank as
 * missing, other text coded as a category in row order). Block by block of rows, column by column.
 */
export function readTableCells(view: TableView, names: readonly string[], alloc: MatrixAlloc): CellCache {
  const n = view.n;
  const nf = names.length;
  const c = newCache(n, nf, alloc);
  const numAt = new Int32Array(nf).fill(-1);
  const catAt = new Int32Array(nf).fill(-1);
  names.forEach((name, fi) => {
    numAt[fi] = view.numNames.indexOf(name);
    if (numAt[fi] === -1) catAt[fi] = view.catNames.indexOf(name);
  });
  for (let s = 0; s < n; s += BLOCK_ROWS) {
    const e = Math.min(n, s + BLOCK_ROWS);
    for (let fi = 0; fi < nf; fi++) {
      const k = numAt[fi] as number;
      if (k >= 0) {
        const col = view.num[k] as Float64Array | readonly (number | null)[];
        const mask = view.mask[k];
        if (col instanceof Float64Array) {
          if (mask === undefined) copyTyped(c.num, nf, fi, col, s, e);
          else copyMasked(c.num, nf, fi, col, mask, s, e);
        } else copyArray(c.num, nf, fi, col, mask, s, e);
      } else copyText(c, n, nf, fi, view.cat[catAt[fi] as number] as readonly (string | null)[], s, e);
    }
  }
  countCells(c, n);
  return c;
}

function copyTyped(num: Float64Array, nf: number, fi: number, col: Float64Array, s: number, e: number): void {
  for (let i = s, off = s * nf + fi; i < e; i++, off += nf) num[off] = col[i] as number;
}

function copyMasked(
  num: Float64Array,
  nf: number,
  fi: number,
  col: Float64Array,
  mask: Uint8Array,
  s: number,
  e: number,
): void {
  for (let i = s, off = s * nf + fi; i < e; i++, off += nf)
    num[off] = mask[i] === 1 ? Number.NaN : (col[i] as number);
}

function copyArray(
  num: Float64Array,
  nf: number,
  fi: number,
  col: readonly (number | null)[],
  mask: Uint8Array | undefined,
  s: number,
  e: number,
): void {
  for (let i = s, off = s * nf + fi; i < e; i++, off += nf) {
    const v = col[i];
    num[off] = v === null || v === undefined || (mask !== undefined && mask[i] === 1) ? Number.NaN : v;
  }
}

function copyText(
  c: CellCache,
  n: number,
  nf: number,
  fi: number,
  col: readonly (string | null)[],
  s: number,
  e: number,
): void {
  const num = c.num;
  for (let i = s, off = s * nf + fi; i < e; i++, off += nf) {
    const v = col[i];
    num[off] = v === null || v === undefined ? Number.NaN : otherCell(c, n, i, fi, v);
  }
}

/**
 * The table as the encoder's table readers (`encodeColumns`, `encodeTableBins`) take it: each of
 * the encoder's features under its name, typed for its kind, so that each cell scores as the same
 * cell of a row. Columns already of the right kind are used as they are (no copy); a numeric
 * feature held as text, a categorical one held as numbers, or an array with nulls is converted by
 * the rows' rules (`cellNumber`, `cellCategory`).
 */
export function encoderTable(features: readonly EncodedFeature[], view: TableView): ChurnFeatureTable {
  const columns = nullProtoObject<Float64Array>();
  const missing = nullProtoObject<Uint8Array>();
  const categorical = nullProtoObject<(string | null)[]>();
  const n = view.n;
  for (const f of features) {
    const k = view.numNames.indexOf(f.name);
    const col = k >= 0 ? view.num[k] : undefined;
    const mask = k >= 0 ? view.mask[k] : undefined;
    const text = k < 0 ? view.cat[view.catNames.indexOf(f.name)] : undefined;
    if (f.type === 'numeric') {
      if (col instanceof Float64Array) columns[f.name] = col;
      else if (col !== undefined)
        columns[f.name] = Float64Array.from(col, (v) => (v === null ? Number.NaN : v));
      else if (text !== undefined) columns[f.name] = Float64Array.from(text, (v) => cellNumber(v));
      if (mask !== undefined) missing[f.name] = mask;
    } else if (text !== undefined) categorical[f.name] = text as (string | null)[];
    else if (col !== undefined) {
      const out = new Array<string | null>(n);
      for (let i = 0; i < n; i++) out[i] = mask?.[i] === 1 ? null : cellCategory(col[i]);
      categorical[f.name] = out;
    }
  }
  return { asOf: 0, customerIds: (view.ids ?? []) as string[], names: [], columns, missing, categorical };
}

/**
 * The rows a table stands for: per row `{ customerId, features }`, `features` a null-prototype
 * object with every numeric column (null where null or masked) and every categorical one.
 */
export function tableRows(view: TableView): ScoringRow[] {
  const out: ScoringRow[] = [];
  const catOrder = view.catNames
    .map((_, k) => k)
    .sort((a, b) => compareCodeUnits(view.catNames[a] as string, view.catNames[b] as string));
  for (let i = 0; i < view.n; i++) {
    const features = nullProtoObject<FeatureValue>();
    view.num.forEach((col, k) => {
      const v = col[i];
      features[view.numNames[k] as string] = view.mask[k]?.[i] === 1 || v === undefined ? null : v;
    });
    for (const k of catOrder)
      features[view.catNames[k] as string] = (view.cat[k] as (string | null)[])[i] ?? null;
    out.push({ customerId: view.ids?.[i], features });
  }
  return out;
}
