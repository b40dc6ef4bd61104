import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { nest } from './input';

/**
 * Reads all rows of a small CSV, JSON (array) or NDJSON file at once (synchronous; kept for scripts
 * and examples). The CLI itself streams with `readInput`, which also keeps line numbers and detects
 * the delimiter. CSV columns named `a.b` become nested objects; values stay strings.
 */
export function readRows(file: string): unknown[] {
  let text = readFileSync(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
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
      .map((l) => JSON.parse(l) as unknown);
  }
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  return records.map(nest);
}
