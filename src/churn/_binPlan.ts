/**
 * Encoding rows straight into the bins of a tree ensemble (no encoded matrix): the fast scoring path
 * of tree models. Private to the churn module.
 * @module
 */
import { cellCategory, cellNumber, RowReader } from './_rowReader';
import { type BinnedEnsemble, binOf } from './_treeScoring';
import type { ChurnFeatureTable } from './churnFeatures';
import type { EncodedColumn, EncodedFeature, FeatureEncoder } from './FeatureEncoder';
import type { FeatureRecord } from './types';

/** Layout of {@link encodeBins}, from {@link binPlan}. */
export interface BinPlan {
  /** Bytes per row. */
  width: number;
  /** Features read (those with a binned column) and their names. */
  read: Int32Array;
  names: string[];
  /** Per feature: slot of its value column (-1: not binned), and that encoded column. */
  valueSlot: Int32Array;
  valueColumn: Int32Array;
  /** Per encoded column: 1 when it is not standardised, else its center and 1 / scale. */
  identity: Uint8Array;
  shift: Float64Array;
  inv: Float64Array;
  /** Per feature: slot of its missing indicator (-1: none) and the bins of 0 and 1. */
  indSlot: Int32Array;
  ind0: Uint8Array;
  ind1: Uint8Array;
  /** Binned one-hot columns of feature `fi`: entries `catStart[fi] .. catStart[fi + 1]` of `catSlot` (slot), `catK` (category index), `cat0`/`cat1` (bins of 0 and 1). */
  catStart: Int32Array;
  catSlot: Int32Array;
  catK: Int32Array;
  cat0: Uint8Array;
  cat1: Uint8Array;
  cuts: BinnedEnsemble;
}

/** Whether the columns are laid out as `fit` lays them out (each feature's columns in a row: value or categories, then its indicator). */
function standardLayout(enc: FeatureEncoder): boolean {
  const feats = enc.features;
  const cols = enc.columns;
  let at = 0;
  const expect = (fi: number, kind: EncodedColumn['kind'], category?: string): boolean => {
    const c = cols[at++];
    return c !== undefined && c.feature === fi && c.kind === kind && c.category === category;
  };
  for (let fi = 0; fi < feats.length; fi++) {
    const f = feats[fi] as EncodedFeature;
    if (f.type === 'numeric' ? !expect(fi, 'value') : !f.categories.every((c) => expect(fi, 'category', c)))
      return false;
    if (f.missingIndicator && !expect(fi, 'missing')) return false;
  }
  return at === cols.length;
}

/**
 * Plans {@link encodeBins} for the split columns and cuts of a binned tree ensemble (one output byte
 * per slot, slot `s` binning encoded column `cuts.columns[s]`). Built once per model. `null` when the
 * columns are not laid out as `fit` lays them out (a hand-edited model file is scored by `encode`).
 */
export function binPlan(enc: FeatureEncoder, cuts: BinnedEnsemble): BinPlan | null {
  if (!standardLayout(enc)) return null;
  const slots = cuts.columns;
  const feats = enc.features;
  const cols = enc.columns;
  const nf = feats.length;
  const slotOfColumn = new Int32Array(cols.length).fill(-1);
  for (let s = 0; s < slots.length; s++) slotOfColumn[slots[s] as number] = s;
  const { first, indicator, shift, inv } = enc.tablePlan();
  const identity = Uint8Array.from(cols, (c) => (c.scale === 1 && c.center === 0 ? 1 : 0));
  const enc1 = (j: number, v: number): number =>
    identity[j] === 1 ? v : (v - (shift[j] as number)) * (inv[j] as number);
  const bin = (s: number, v: number): number => binOf(cuts, s, enc1(slots[s] as number, v));
  const read: number[] = [];
  const valueSlot = new Int32Array(nf).fill(-1);
  const indSlot = new Int32Array(nf).fill(-1);
  const ind0 = new Uint8Array(nf);
  const ind1 = new Uint8Array(nf);
  const catStart = new Int32Array(nf + 1);
  const catSlot: number[] = [];
  const catK: number[] = [];
  const cat0: number[] = [];
  const cat1: number[] = [];
  for (let fi = 0; fi < nf; fi++) {
    const f = feats[fi] as EncodedFeature;
    const j0 = first[fi] as number;
    let used = false;
    const ij = indicator[fi] as number;
    if (ij >= 0 && (slotOfColumn[ij] as number) >= 0) {
      const s = slotOfColumn[ij] as number;
      indSlot[fi] = s;
      ind0[fi] = bin(s, 0);
      ind1[fi] = bin(s, 1);
      used = true;
    }
    if (f.type === 'numeric') {
      if (j0 >= 0 && (slotOfColumn[j0] as number) >= 0) {
        valueSlot[fi] = slotOfColumn[j0] as number;
        used = true;
      }
    } else {
      for (let k = 0; k < f.categories.length; k++) {
        const s = slotOfColumn[j0 + k] as number;
        if (s < 0) continue;
        catSlot.push(s);
        catK.push(k);
        cat0.push(bin(s, 0));
        cat1.push(bin(s, 1));
        used = true;
      }
    }
    catStart[fi + 1] = catSlot.length;
    if (used) read.push(fi);
  }
  return {
    width: slots.length,
    read: Int32Array.from(read),
    names: read.map((fi) => (feats[fi] as EncodedFeature).name),
    valueSlot,
    valueColumn: first,
    identity,
    shift,
    inv,
    indSlot,
    ind0,
    ind1,
    catStart,
    catSlot: Int32Array.from(catSlot),
    catK: Int32Array.from(catK),
    cat0: Uint8Array.from(cat0),
    cat1: Uint8Array.from(cat1),
    cuts,
  };
}

/**
 * Encodes records straight into bins (`out`: `rows.length × plan.width` bytes): each binned column
 * gets the number of its cuts below the value `encode` would give it, without building the encoded
 * matrix. Reads only the features that have a binned column.
 */
export function encodeBins(
  enc: FeatureEncoder,
  rows: readonly FeatureRecord[],
  plan: BinPlan,
  out: Uint8Array,
): void {
  const { read, valueSlot, indSlot, ind0, ind1 } = plan;
  const { numeric, impute, index, other } = enc.tablePlan();
  const reader = new RowReader(plan.names);
  const vals = reader.values;
  const w = plan.width;
  const nr = read.length;
  for (let i = 0, off = 0; i < rows.length; i++, off += w) {
    reader.read(rows[i] as FeatureRecord);
    for (let r = 0; r < nr; r++) {
      const fi = read[r] as number;
      const v = vals[r];
      let miss: boolean;
      if (numeric[fi] === 1) {
        const x = cellNumber(v);
        miss = Number.isNaN(x);
        if ((valueSlot[fi] as number) >= 0) writeValue(plan, fi, miss ? (impute[fi] as number) : x, off, out);
      } else {
        const key = cellCategory(v);
        miss = key === null;
        const k = key === null ? -1 : ((index[fi] as Map<string, number>).get(key) ?? (other[fi] as number));
        writeCategory(plan, fi, k, off, out);
      }
      const is = indSlot[fi] as number;
      if (is >= 0) out[off + is] = miss ? (ind1[fi] as number) : (ind0[fi] as number);
    }
  }
}

/** Like {@link encodeBins} for rows `[start, end)` of a columnar table (the values of `encodeTable`, binned). */
export function encodeTableBins(
  enc: FeatureEncoder,
  table: ChurnFeatureTable,
  start: number,
  end: number,
  plan: BinPlan,
  out: Uint8Array,
): void {
  const { read, valueSlot, indSlot } = plan;
  const w = plan.width;
  const tp = enc.tablePlan();
  for (let r = 0; r < read.length; r++) {
    const fi = read[r] as number;
    const f = enc.features[fi] as EncodedFeature;
    const name = f.name;
    const is = indSlot[fi] as number;
    if (f.type === 'numeric') {
      const col = Object.hasOwn(table.columns, name) ? table.columns[name] : undefined;
      const mm = Object.hasOwn(table.missing, name) ? table.missing[name] : undefined;
      const vs = valueSlot[fi] as number;
      for (let i = start, off = 0; i < end; i++, off += w) {
        const v = col === undefined ? Number.NaN : (col[i] as number);
        const m = (mm !== undefined && mm[i] === 1) || !Number.isFinite(v);
        if (vs >= 0) writeValue(plan, fi, m ? f.impute : v, off, out);
        if (is >= 0) out[off + is] = m ? (plan.ind1[fi] as number) : (plan.ind0[fi] as number);
      }
    } else {
      const c = Object.hasOwn(table.categorical, name) ? table.categorical[name] : undefined;
      const map = tp.index[fi] as Map<string, number>;
      const other = tp.other[fi] as number;
      for (let i = start, off = 0; i < end; i++, off += w) {
        const key = c === undefined ? null : cellCategory(c[i]);
        const m = key === null;
        writeCategory(plan, fi, key === null ? -1 : (map.get(key) ?? other), off, out);
        if (is >= 0) out[off + is] = m ? (plan.ind1[fi] as number) : (plan.ind0[fi] as number);
      }
    }
  }
}

/** Bins numeric feature `fi`'s encoded value (`v` before standardisation) into its slot. */
function writeValue(plan: BinPlan, fi: number, v: number, off: number, out: Uint8Array): void {
  const s = plan.valueSlot[fi] as number;
  const j = plan.valueColumn[fi] as number;
  // Same arithmetic as `encode`: (x − center) · (1 / scale), an identity for unstandardised columns.
  const x = plan.identity[j] === 1 ? v : (v - (plan.shift[j] as number)) * (plan.inv[j] as number);
  out[off + s] = binOf(plan.cuts, s, x);
}

/** Bins the one-hot columns of feature `fi` for category index `k` (-1: none). */
function writeCategory(plan: BinPlan, fi: number, k: number, off: number, out: Uint8Array): void {
  const end = plan.catStart[fi + 1] as number;
  for (let e = plan.catStart[fi] as number; e < end; e++)
    out[off + (plan.catSlot[e] as number)] =
      plan.catK[e] === k ? (plan.cat1[e] as number) : (plan.cat0[e] as number);
}
