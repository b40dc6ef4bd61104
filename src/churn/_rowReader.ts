/**
 * Reading feature records: one fast, own-properties-only reader shared by fitting and scoring, and
 * the one rule that turns a cell into a number. Private to the churn module.
 * @module
 */
import type { FeatureRecord, FeatureValue } from './types';

/** Numbers in text: an optional sign, digits with an optional fraction, an optional exponent (as parseEvents reads `value`). */
const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * @internal What a string cell means: its number when the text is a number by the rule `parseEvents`
 * applies to `value` (`"29.85"`, `" 7 "`, `"1e3"`), `null` when it is blank (a CSV's empty cell is
 * missing), else `undefined` (it is text).
 */
export function numberOfText(s: string): number | null | undefined {
  const t = s.trim();
  if (t === '') return null;
  if (!NUMERIC_TEXT.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * @internal The number a cell stands for in a numeric feature, or NaN when it is missing: numbers
 * (finite), booleans (0/1), numeric text (see {@link numberOfText}); anything else is missing.
 */
export function cellNumber(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.NaN;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const x = numberOfText(v);
    return typeof x === 'number' ? x : Number.NaN;
  }
  return Number.NaN;
}

/**
 * @internal The category key of a cell in a categorical feature, or `null` when it is missing:
 * strings as they are (blank text is missing), finite numbers and booleans as their text.
 */
export function cellCategory(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return String(v);
  return null;
}

/**
 * Reads a record's values into `values` (indexed like `names`). Only own properties are read: for
 * plain and null-prototype records, names that `Object.prototype` also has (`constructor`,
 * `toString`, `__proto__`, ...) are checked with `Object.hasOwn`, so a row without its own
 * `constructor` feature reads as missing rather than as the inherited function; records with any
 * other prototype are read with `Object.hasOwn` on every cell.
 *
 * Fast path: records built the same way have their keys in the same order. The reader remembers the
 * own keys of the last record that missed it and walks the next records with `for…in`, checking each
 * key against that layout (V8 then loads the values by position, without a keyed lookup): ~5× faster
 * than keyed reads on wide tables. A record whose keys differ in any way is read by name.
 */
export class RowReader {
  readonly values: unknown[];
  private readonly names: readonly string[];
  private readonly position: Map<string, number>;
  /** 1 where the name also exists on Object.prototype, so a plain record could inherit it. */
  private readonly inherited: Uint8Array;
  /** Own keys of the layout record, in enumeration order, and the value slot of each (-1: not read). */
  private layout: string[] = [];
  private slot: Int32Array = new Int32Array(0);
  /** Slots of names absent from the layout (read as `undefined` on the fast path). */
  private absent: Int32Array = new Int32Array(0);
  private misses = 0;

  constructor(names: readonly string[]) {
    this.names = names;
    this.values = new Array(names.length).fill(undefined);
    this.inherited = Uint8Array.from(names, (name) => (name in Object.prototype ? 1 : 0));
    this.position = new Map(names.map((n, i) => [n, i]));
  }

  read(rec: FeatureRecord): void {
    const proto = Object.getPrototypeOf(rec);
    if (proto === Object.prototype || proto === null) {
      if (this.readByLayout(rec)) return;
      this.learn(rec);
      const names = this.names;
      const values = this.values;
      const inherited = this.inherited;
      for (let fi = 0; fi < names.length; fi++) {
        const name = names[fi] as string;
        values[fi] = inherited[fi] === 0 || Object.hasOwn(rec, name) ? rec[name] : undefined;
      }
      return;
    }
    const names = this.names;
    const values = this.values;
    for (let fi = 0; fi < names.length; fi++) {
      const name = names[fi] as string;
      values[fi] = Object.hasOwn(rec, name) ? rec[name] : undefined;
    }
  }

  private readByLayout(rec: FeatureRecord): boolean {
    const layout = this.layout;
    const slot = this.slot;
    const values = this.values;
    const len = layout.length;
    if (len === 0) return false;
    let p = 0;
    // `for…in` also walks inherited enumerable keys: such a key breaks the layout match.
    for (const k in rec) {
      if (p >= len || k !== layout[p]) return false;
      const s = slot[p] as number;
      if (s >= 0) values[s] = rec[k];
      p++;
    }
    if (p !== len) return false;
    const absent = this.absent;
    for (let a = 0; a < absent.length; a++) values[absent[a] as number] = undefined;
    return true;
  }

  /** Takes `rec`'s own keys as the layout (after a few misses in a row, gives the fast path up). */
  private learn(rec: FeatureRecord): void {
    if (++this.misses > 64 && this.misses % 1024 !== 0) return;
    const keys = Object.keys(rec);
    const seen = new Uint8Array(this.names.length);
    const slot = new Int32Array(keys.length);
    for (let p = 0; p < keys.length; p++) {
      const s = this.position.get(keys[p] as string);
      slot[p] = s === undefined ? -1 : s;
      if (s !== undefined) seen[s] = 1;
    }
    const absent: number[] = [];
    for (let fi = 0; fi < seen.length; fi++) if (seen[fi] === 0) absent.push(fi);
    this.layout = keys;
    this.slot = slot;
    this.absent = Int32Array.from(absent);
  }
}

/** @internal Reads one feature value: own properties only, primitives only (anything else is `undefined`). */
export function readFeature(rec: FeatureRecord, name: string): FeatureValue | undefined {
  if (!Object.hasOwn(rec, name)) return undefined;
  const v = rec[name];
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'boolean' || v === null) return v as FeatureValue;
  return undefined;
}
