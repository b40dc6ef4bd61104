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
  // Fast path for words: a printable ASCII first character other than a sign, a point or a digit
  // starts neither a number nor blank space (category labels like "pro" skip the trim and the regex).
  const c0 = s.charCodeAt(0);
  if (c0 > 32 && c0 < 127 && c0 !== 43 && c0 !== 45 && c0 !== 46 && (c0 < 48 || c0 > 57)) return undefined;
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
 * (Keyed reads: tables wider than a dozen columns built key by key are dictionary-mode objects,
 * where a keyed lookup is several times faster than walking them with `for…in`.)
 */
export class RowReader {
  readonly values: unknown[];
  private readonly names: readonly string[];
  /** 1 where the name also exists on Object.prototype, so a plain record could inherit it. */
  private readonly inherited: Uint8Array;
  constructor(names: readonly string[]) {
    this.names = names;
    this.values = new Array(names.length).fill(undefined);
    this.inherited = Uint8Array.from(names, (name) => (name in Object.prototype ? 1 : 0));
  }

  read(rec: FeatureRecord): void {
    const proto = Object.getPrototypeOf(rec);
    if (proto === Object.prototype || proto === null) {
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
}

/** @internal Reads one feature value: own properties only, primitives only (anything else is `undefined`). */
export function readFeature(rec: FeatureRecord, name: string): FeatureValue | undefined {
  if (!Object.hasOwn(rec, name)) return undefined;
  const v = rec[name];
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'boolean' || v === null) return v as FeatureValue;
  return undefined;
}
