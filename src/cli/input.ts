/**
 * Reads rows from a CSV, JSON (array) or NDJSON file, or from stdin (`-`), as a stream: the file is
 * never held as one string (except a JSON array, which cannot be parsed in pieces; it is capped with
 * a clear message). Every row keeps its 1-based line number in the file, as an editor shows it.
 *
 * - CSV: the delimiter (`,` `;` tab `|`) is detected from the header unless given; a duplicated
 *   header is an error (a column would silently lose its values); columns named `a.b` become nested
 *   objects; a `properties`/`attributes` cell holding JSON is parsed; values stay strings.
 * - NDJSON: an unparseable line becomes an `invalid_json` rejection with the parser's message.
 * - A byte-order mark is ignored in every format.
 */
import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import { parse as csvParse } from 'csv-parse';
import { DataProblem, type Io, UsageError } from './io';
import type { Progress } from './progress';

/** Rows read from one input. */
export interface InputRows {
  /** The file name as given (`stdin` for `-`). */
  source: string;
  format: 'csv' | 'json' | 'ndjson';
  rows: unknown[];
  /** 1-based file line of each row (the line where the record starts). */
  lines: number[];
  /** NDJSON lines that are not JSON. */
  badJson: { line: number; message: string; text: string }[];
  /** CSV header, when CSV. */
  columns?: string[];
  delimiter?: string;
  delimiterDetected?: boolean;
}

/** Options of {@link readInput}. */
export interface ReadInputOptions {
  delimiter?: string;
  progress?: Progress;
}

/** Largest JSON array file read in one piece; beyond it NDJSON (streamed) is required. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

const DELIMITERS = [',', ';', '\t', '|'] as const;

/** The text name of a delimiter for messages. */
export function delimiterName(d: string): string {
  return d === '\t' ? 'tab' : `"${d}"`;
}

function openStream(file: string, io: Io): { stream: Readable; size: number | null; source: string } {
  if (file === '-') {
    if (!io.stdin) throw new UsageError('"-" reads stdin, but no stdin is available');
    return { stream: io.stdin, size: null, source: 'stdin' };
  }
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new UsageError(`cannot read ${file}: it is a directory`);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new UsageError(`cannot read ${file}: ${why}`);
  }
  return { stream: createReadStream(file), size, source: file };
}

function formatOf(file: string): InputRows['format'] | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  return undefined;
}

/** Async text chunks of a stream (UTF-8, BOM removed). */
async function* textChunks(stream: Readable, progress: Progress | undefined): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let first = true;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    progress?.bytes(buf.length);
    let text = decoder.decode(buf, { stream: true });
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (text.length > 0) yield text;
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}

/** Reads the rows of `file` (`-` = stdin). @throws UsageError (cannot open) or DataProblem (unreadable content). */
export async function readInput(file: string, io: Io, options: ReadInputOptions = {}): Promise<InputRows> {
  const { stream, size, source } = openStream(file, io);
  options.progress?.start(size);
  const chunks = textChunks(stream, options.progress);
  // Peek the first chunk: it tells the format of stdin and the CSV delimiter.
  const head = await chunks.next();
  const firstText = head.done ? '' : head.value;
  const all = (async function* () {
    if (firstText !== '') yield firstText;
    yield* chunks;
  })();
  let format = file === '-' ? undefined : formatOf(file);
  if (format === undefined) {
    const c = firstText.trimStart()[0];
    format = c === '[' ? 'json' : c === '{' ? 'ndjson' : 'csv';
  }
  const out: InputRows = { source, format, rows: [], lines: [], badJson: [] };
  if (format === 'json') await readJson(all, size, out);
  else if (format === 'ndjson') await readNdjson(all, out, options.progress);
  else await readCsv(all, firstText, out, options);
  options.progress?.done();
  return out;
}

async function readJson(chunks: AsyncIterable<string>, size: number | null, out: InputRows): Promise<void> {
  const tooBig = () =>
    new DataProblem(
      `${out.source} is larger than ${MAX_JSON_BYTES / 1024 / 1024} MB: a JSON array cannot be read in pieces; ` +
        `convert it to NDJSON (one object per line, e.g. jq -c '.[]' file.json > file.ndjson), which is streamed`,
    );
  if (size !== null && size > MAX_JSON_BYTES) throw tooBig();
  const parts: string[] = [];
  let length = 0;
  for await (const c of chunks) {
    length += c.length;
    if (length > MAX_JSON_BYTES) throw tooBig();
    parts.push(c);
  }
  let data: unknown;
  try {
    data = JSON.parse(parts.join(''));
  } catch (e) {
    throw new DataProblem(`${out.source}: not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) {
    throw new DataProblem(
      `${out.source}: expected a JSON array of rows, got ${data === null ? 'null' : typeof data}`,
    );
  }
  out.rows = data;
  // One row per element; the line is unknown in a JSON array, so it is the element's 1-based position.
  out.lines = data.map((_, i) => i + 1);
}

async function readNdjson(chunks: AsyncIterable<string>, out: InputRows, progress?: Progress): Promise<void> {
  let carry = '';
  let line = 0;
  const take = (raw: string) => {
    line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    try {
      out.rows.push(JSON.parse(text) as unknown);
      out.lines.push(line);
    } catch (e) {
      out.badJson.push({
        line,
        message: (e as Error).message,
        text: text.length > 200 ? `${text.slice(0, 200)}…` : text,
      });
    }
  };
  for await (const c of chunks) {
    let start = 0;
    const s = carry + c;
    for (let nl = s.indexOf('\n'); nl !== -1; nl = s.indexOf('\n', start)) {
      take(s.slice(start, nl));
      start = nl + 1;
    }
    carry = s.slice(start);
    progress?.rows(out.rows.length + out.badJson.length);
  }
  if (carry !== '') take(carry);
}

/** Picks the delimiter that splits the header line into the most fields (outside quotes). */
export function detectDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    let n = 0;
    let quoted = false;
    for (const ch of headerLine) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === d) n++;
    }
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

async function readCsv(
  chunks: AsyncIterable<string>,
  firstText: string,
  out: InputRows,
  options: ReadInputOptions,
): Promise<void> {
  const headerLine = firstText.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = options.delimiter ?? detectDelimiter(headerLine);
  out.delimiter = delimiter;
  out.delimiterDetected = options.delimiter === undefined;
  let columns: string[] = [];
  // Records as arrays, turned into objects here: csv-parse's own objects are plain `{}`, where a
  // column named __proto__ would set the prototype instead of holding a value.
  const parser = csvParse({
    delimiter,
    skip_empty_lines: true,
    trim: true,
    info: true,
    relax_column_count: false,
  });
  const checkHeader = (header: string[]) => {
    columns = header.map((h) => h.trim());
    const seen = new Map<string, number>();
    columns.forEach((h, i) => {
      const prev = seen.get(h);
      if (prev !== undefined) {
        throw new DataProblem(
          `${out.source}: the header has column "${h}" twice (columns ${prev + 1} and ${i + 1}); ` +
            'rename one so that no value is lost',
        );
      }
      seen.set(h, i);
    });
  };
  const feed = (async () => {
    try {
      for await (const c of chunks) if (!parser.write(c)) await new Promise((r) => parser.once('drain', r));
      parser.end();
    } catch (e) {
      parser.destroy(e as Error);
    }
  })();
  let prevLines = 1; // the header line
  let prevEmpty = 0;
  let header = true;
  try {
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; empty_lines: number };
    }>) {
      if (header) {
        checkHeader(item.record);
        header = false;
        prevLines = item.info.lines;
        prevEmpty = item.info.empty_lines;
        continue;
      }
      const record: Record<string, string> = Object.create(null);
      for (let k = 0; k < columns.length; k++) record[columns[k] as string] = item.record[k] ?? '';
      out.rows.push(nest(record));
      out.lines.push(prevLines + 1 + (item.info.empty_lines - prevEmpty));
      prevLines = item.info.lines;
      prevEmpty = item.info.empty_lines;
      if ((out.rows.length & 0x3fff) === 0) options.progress?.rows(out.rows.length);
    }
  } catch (e) {
    if (e instanceof DataProblem) throw e;
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof DataProblem) throw cause;
    throw new DataProblem(`${out.source}: cannot read the CSV: ${(e as Error).message}`);
  }
  await feed;
  out.columns = columns;
}

export function nest(record: Record<string, string>): Record<string, unknown> {
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
  return toPlain(out) as Record<string, unknown>;
}

/** Plain-prototype copy where every key (including `__proto__`) is an own data property. */
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
