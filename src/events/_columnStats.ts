/**
 * What `inferMapping` knows of one column of the sample (private): presence, distinct values,
 * numbers, dates, placeholder ids, letter prefixes and repeats.
 * @module
 */
import { toEpochMs } from '../_lib/time';
import { DEFAULT_PLACEHOLDER_IDS } from './compileMapping';

/** Counts over the sample's values of one column. */
export interface ColumnStats {
  name: string;
  present: number;
  distinct: Set<string>;
  /** Values given as numbers (JSON `17850`, not `"17850"`). */
  numbers: number;
  numeric: number;
  negative: number;
  dateLike: number;
  iso: number;
  placeholders: Map<string, number>;
  strings: string[];
  letterPrefixed: Map<string, number>;
  repeats: number;
}

const PLACEHOLDERS = new Set(DEFAULT_PLACEHOLDER_IDS.map((p) => p.toLowerCase()));
const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const DATE_SHAPE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}.*)?$/;
/** The statistics of column `name` over `rows`. */
export function columnStats(name: string, rows: readonly Record<string, unknown>[]): ColumnStats {
  const s: ColumnStats = {
    name,
    present: 0,
    distinct: new Set(),
    numbers: 0,
    numeric: 0,
    negative: 0,
    dateLike: 0,
    iso: 0,
    placeholders: new Map(),
    strings: [],
    letterPrefixed: new Map(),
    repeats: 0,
  };
  for (const r of rows) {
    if (!Object.hasOwn(r, name)) continue;
    const v = r[name];
    if (v === undefined || v === null) continue;
    const text = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : null;
    if (text === null) continue;
    s.present++;
    if (typeof v === 'number') s.numbers++;
    if (PLACEHOLDERS.has(text.toLowerCase())) s.placeholders.set(text, (s.placeholders.get(text) ?? 0) + 1);
    if (s.distinct.has(text)) s.repeats++;
    else if (s.distinct.size < 100_000) s.distinct.add(text);
    if (NUMERIC.test(text)) {
      s.numeric++;
      if (Number(text) < 0) s.negative++;
      if (text.length === 8 || text.length === 10 || text.length === 13 || text.length === 16) {
        // yyyyMMdd, or epoch seconds / ms / us of a plausible instant.
        const t = text.length === 8 ? toEpochMs(text) : Number(text.slice(0, 10)) * 1000;
        if (t !== null && t >= Date.UTC(1990, 0, 1) && t < Date.UTC(2100, 0, 1)) {
          s.dateLike++;
          if (s.strings.length < 5000) s.strings.push(text);
        }
      }
    } else if (DATE_SHAPE.test(text)) {
      s.dateLike++;
      if (toEpochMs(text) !== null) s.iso++;
      if (s.strings.length < 5000) s.strings.push(text);
    }
    const m = /^([A-Za-z]+)\d+$/.exec(text);
    if (m !== null) s.letterPrefixed.set(m[1] as string, (s.letterPrefixed.get(m[1] as string) ?? 0) + 1);
  }
  return s;
}
