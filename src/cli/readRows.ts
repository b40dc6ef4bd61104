import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';

/**
 * Reads rows from a CSV, JSON (array) or NDJSON file. CSV columns named `a.b` become nested objects
 * (`properties.feature` → `{ properties: { feature } }`); a `properties` or `attributes` cell holding
 * JSON text is parsed. Values stay strings: `parseEvents` reads numeric strings in `value`.
 */
export function readRows(file: string): unknown[] {
  const text = readFileSync(file, 'utf8');
  const ext = extname(file).toLowerCase();
  if (ext === '.json') {
    const data: unknown = JSON.parse(text);
    if (!Array.isArray(data)) throw new Error(`${file}: expected a JSON array of rows`);
    return data;
  }
  if (ext === '.ndjson' || ext === '.jsonl') {
    return text
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '')
      .map((l, i) => {
        try {
          return JSON.parse(l) as unknown;
        } catch {
          return { __invalidJsonLine: i + 1, text: l };
        }
      });
  }
  const records = parse(text, { columns: true, skip_empty_lines: true, bom: true, trim: true }) as Record<
    string,
    string
  >[];
  return records.map(nest);
}

function nest(record: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(record)) {
    const raw = record[key];
    if (raw === undefined || raw === '') continue;
    let value: unknown = raw;
    if ((key === 'properties' || key === 'attributes') && raw.startsWith('{')) {
      try {
        value = JSON.parse(raw);
      } catch {
        value = raw;
      }
    }
    const parts = key.split('.');
    let cur = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i] as string;
      if (!Object.hasOwn(cur, p) || typeof cur[p] !== 'object') cur[p] = Object.create(null);
      cur = cur[p] as Record<string, unknown>;
    }
    cur[parts[parts.length - 1] as string] = value;
  }
  // Plain prototype at the top level and below, so parseEvents sees plain objects; created via
  // JSON round-trip-free copy so __proto__ keys stay own data.
  return toPlain(out) as Record<string, unknown>;
}

function toPlain(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    Object.defineProperty(o, k, {
      value: toPlain((v as Record<string, unknown>)[k]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return o;
}
