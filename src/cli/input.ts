/**
 * Reads rows from a CSV, JSON (array) or NDJSON file, or from stdin (`-`), as a stream: the file is
 * never held as one string (except a JSON array, which cannot be parsed in pieces; it is capped with
 * a clear message). Every row keeps its 1-based line number in the file, as an editor shows it.
 *
 * - CSV: the delimiter (`,` `;` tab `|`) is detected from the header unless given; a header with
 *   none of them but columns separated by runs of spaces (a whitespace-aligned text file such as
 *   CDNOW_master.txt) is read as such ({@link WHITESPACE}: no quoting, leading blanks ignored, each
 *   line must have the header's number of fields); a duplicated header is an error (a column would
 *   silently lose its values); columns named `a.b` become nested objects; a
 *   `properties`/`attributes` cell holding JSON is parsed; values stay strings.
 * - NDJSON: an unparseable line becomes an `invalid_json` rejection with the parser's message.
 * - A byte-order mark is ignored in every format.
 */
import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import { parse as csvParse } from 'csv-parse';
import { parse as csvParseSync } from 'csv-parse/sync';
import { DataProblem, type Io, UsageError } from './io';
import type { Progress } from './progress';

/** An input being read: metadata known up front, rows as chunks, line numbers as rows arrive. */
export interface InputStream {
  /** The file name as given (`stdin` for `-`). */
  source: string;
  format: 'csv' | 'json' | 'ndjson';
  /** CSV header (known before any row), when CSV. */
  columns?: string[];
  delimiter?: string;
  delimiterDetected?: boolean;
  /** Rows in chunks (arrays), read as they are consumed. */
  chunks: AsyncIterable<unknown[]>;
  /** 1-based file line of each row produced so far (the line where the record starts). */
  lines: LineMap;
  /** NDJSON lines that are not JSON, reported as they are met (see `onBadJson`). */
  badJsonCount: number;
  /** The file's size in bytes (null for stdin). */
  size: number | null;
  /** Bytes read from the file so far. */
  bytesRead: number;
}

/**
 * The 1-based file line of every row by its 0-based index, held as the runs where `line - index`
 * is constant: a file without blank, bad or multi-line records costs one run, not a number per row.
 */
export class LineMap {
  private starts = new Float64Array(16);
  private offsets = new Float64Array(16);
  private runs = 0;
  private n = 0;

  /** Rows recorded. */
  get length(): number {
    return this.n;
  }

  /** Records the line of the next row (lines ascending). */
  push(line: number): void {
    const offset = line - this.n;
    if (this.runs === 0 || this.offsets[this.runs - 1] !== offset) {
      if (this.runs === this.starts.length) {
        const starts = new Float64Array(this.runs * 2);
        starts.set(this.starts);
        this.starts = starts;
        const offsets = new Float64Array(this.runs * 2);
        offsets.set(this.offsets);
        this.offsets = offsets;
      }
      this.starts[this.runs] = this.n;
      this.offsets[this.runs] = offset;
      this.runs++;
    }
    this.n++;
  }

  /** The line of row `index`, or undefined when no such row was recorded. */
  at(index: number): number | undefined {
    if (!(index >= 0 && index < this.n)) return undefined;
    let lo = 0;
    let hi = this.runs - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.starts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    return index + (this.offsets[lo] as number);
  }

  /** Every row's line. */
  toArray(): number[] {
    const out: number[] = new Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.at(i) as number;
    return out;
  }
}

/** Rows read from one input, all in memory (small files: profiles, `infer`). */
export interface InputRows {
  source: string;
  format: 'csv' | 'json' | 'ndjson';
  rows: unknown[];
  /** 1-based file line of each row. */
  lines: number[];
  /** NDJSON lines that are not JSON. */
  badJson: BadJsonLine[];
  columns?: string[];
  delimiter?: string;
  delimiterDetected?: boolean;
}

/** An NDJSON line that is not JSON. */
export interface BadJsonLine {
  line: number;
  message: string;
  /** The line, cut at 200 characters. */
  text: string;
}

/** Options of {@link openInput} and {@link readInput}. */
export interface ReadInputOptions {
  delimiter?: string;
  progress?: Progress;
  /** Called for each NDJSON line that is not JSON. */
  onBadJson?: (bad: BadJsonLine) => void;
  /** Largest JSON array read. @default MAX_JSON_BYTES */
  maxJsonBytes?: number;
}

/** Largest JSON array file read in one piece; beyond it NDJSON (streamed) is required. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

const DELIMITERS = [',', ';', '\t', '|'] as const;
const CHUNK = 2048;
/**
 * The "delimiter" of a whitespace-separated text file: fields separated by runs of spaces or tabs,
 * blanks at either end of a line ignored, no quoting (`--delimiter whitespace`).
 */
export const WHITESPACE = 'whitespace';
const BLANKS = /[ \t]+/;

/** The text name of a delimiter for messages. */
export function delimiterName(d: string): string {
  return d === '\t' ? 'tab' : d === WHITESPACE ? 'whitespace (runs of spaces or tabs)' : `"${d}"`;
}

/** The fields of a line of a whitespace-separated file. */
function blankFields(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(BLANKS);
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
async function* textChunks(
  stream: Readable,
  progress: Progress | undefined,
  counter: { bytes: number },
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let first = true;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    progress?.bytes(buf.length);
    counter.bytes += buf.length;
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

/**
 * Opens `file` (`-` = stdin) for streaming: the format, the CSV delimiter and header are known on
 * return; rows come as chunks from `chunks`, never all at once (except a JSON array).
 * @throws UsageError (cannot open) or DataProblem (unreadable content).
 */
export async function openInput(file: string, io: Io, options: ReadInputOptions = {}): Promise<InputStream> {
  const { stream, size, source } = openStream(file, io);
  options.progress?.start(size);
  const counter = { bytes: 0 };
  const texts = textChunks(stream, options.progress, counter);
  // Peek the first chunk: it tells the format of stdin, and the CSV delimiter and header.
  const head = await texts.next();
  const firstText = head.done ? '' : head.value;
  const all = (async function* () {
    if (firstText !== '') yield firstText;
    yield* texts;
  })();
  let format = file === '-' ? undefined : formatOf(file);
  if (format === undefined) {
    const c = firstText.trimStart()[0];
    format = c === '[' ? 'json' : c === '{' ? 'ndjson' : 'csv';
  }
  const input: InputStream = {
    source,
    format,
    chunks: noChunks(),
    lines: new LineMap(),
    badJsonCount: 0,
    size,
    get bytesRead() {
      return counter.bytes;
    },
  };
  if (format === 'json') input.chunks = jsonChunks(all, size, input, options);
  else if (format === 'ndjson') input.chunks = ndjsonChunks(all, input, options);
  else {
    const columns = csvHeader(firstText, input, options);
    input.chunks =
      input.delimiter === WHITESPACE
        ? blankChunks(all, columns, input, options)
        : csvChunks(all, columns, input, options);
  }
  return input;
}

async function* noChunks(): AsyncGenerator<unknown[]> {}

/** Reads every row of `file` into memory (for small inputs: profiles, `infer`). */
export async function readInput(file: string, io: Io, options: ReadInputOptions = {}): Promise<InputRows> {
  const badJson: BadJsonLine[] = [];
  const input = await openInput(file, io, { ...options, onBadJson: (b) => badJson.push(b) });
  const rows: unknown[] = [];
  for await (const chunk of input.chunks) for (const r of chunk) rows.push(r);
  options.progress?.done();
  return {
    source: input.source,
    format: input.format,
    rows,
    lines: input.lines.toArray(),
    badJson,
    ...(input.columns ? { columns: input.columns } : {}),
    ...(input.delimiter ? { delimiter: input.delimiter, delimiterDetected: input.delimiterDetected } : {}),
  };
}

async function* jsonChunks(
  texts: AsyncIterable<string>,
  size: number | null,
  input: InputStream,
  options: ReadInputOptions,
): AsyncGenerator<unknown[]> {
  const max = options.maxJsonBytes ?? MAX_JSON_BYTES;
  const tooBig = () =>
    new DataProblem(
      `${input.source} is larger than ${Math.round(max / 1024 / 1024)} MB: a JSON array cannot be read in pieces; ` +
        `convert it to NDJSON (one object per line, e.g. jq -c '.[]' file.json > file.ndjson), which is streamed`,
    );
  if (size !== null && size > max) throw tooBig();
  const parts: string[] = [];
  let length = 0;
  for await (const c of texts) {
    length += c.length;
    if (length > max) throw tooBig();
    parts.push(c);
  }
  let data: unknown;
  try {
    data = JSON.parse(parts.join(''));
  } catch (e) {
    throw new DataProblem(`${input.source}: not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) {
    throw new DataProblem(
      `${input.source}: expected a JSON array of rows, got ${data === null ? 'null' : typeof data}`,
    );
  }
  // The line is unknown in a JSON array: each row's "line" is its 1-based position.
  for (let i = 0; i < data.length; i += CHUNK) {
    const chunk = data.slice(i, i + CHUNK);
    for (let k = 0; k < chunk.length; k++) input.lines.push(i + k + 1);
    options.progress?.rows(i + chunk.length);
    yield chunk;
  }
}

/**
 * Rows from the lines of `texts`: `take` gets each line (without its `\n`; the last one even without
 * one) and its 1-based number, and pushes the rows it makes into `out`; they are yielded after each
 * text chunk.
 */
async function* lineRows(
  texts: AsyncIterable<string>,
  take: (text: string, line: number, out: unknown[]) => void,
  options: ReadInputOptions,
): AsyncGenerator<unknown[]> {
  let carry = '';
  let line = 0;
  let rows = 0;
  let out: unknown[] = [];
  for await (const c of texts) {
    let start = 0;
    const s = carry + c;
    for (let nl = s.indexOf('\n'); nl !== -1; nl = s.indexOf('\n', start)) {
      take(s.slice(start, nl), ++line, out);
      start = nl + 1;
    }
    carry = s.slice(start);
    if (out.length > 0) {
      rows += out.length;
      options.progress?.rows(rows);
      yield out;
      out = [];
    }
  }
  if (carry !== '') take(carry, ++line, out);
  if (out.length > 0) yield out;
}

function ndjsonChunks(
  texts: AsyncIterable<string>,
  input: InputStream,
  options: ReadInputOptions,
): AsyncGenerator<unknown[]> {
  return lineRows(
    texts,
    (raw, line, out) => {
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (text.trim() === '') return;
      try {
        out.push(JSON.parse(text) as unknown);
        input.lines.push(line);
      } catch (e) {
        input.badJsonCount++;
        options.onBadJson?.({
          line,
          message: (e as Error).message,
          text: text.length > 200 ? `${text.slice(0, 200)}…` : text,
        });
      }
    },
    options,
  );
}

/**
 * Picks the delimiter that splits the header line into the most fields (outside quotes); with none
 * of them, {@link WHITESPACE} when runs of blanks separate several fields in the header and as many
 * in `firstRow` (the first data line, when known), else `,` (one column).
 */
export function detectDelimiter(headerLine: string, firstRow?: string): string {
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
  // None of them, no quoting, and several fields between runs of blanks, as many in the first row
  // when it is known: whitespace-separated (a one-column CSV headed "Customer ID" stays one column).
  if (bestCount === 0 && !headerLine.includes('"')) {
    const n = blankFields(headerLine).length;
    if (n > 1 && (firstRow === undefined || blankFields(firstRow).length === n)) return WHITESPACE;
  }
  return best;
}

/** Reads the CSV header from the first text chunk (the delimiter detected unless given). */
function csvHeader(firstText: string, input: InputStream, options: ReadInputOptions): string[] {
  const [headerLine = '', ...next] = firstText.split(/\r?\n/, 64);
  const firstRow = next.find((l, i) => l.trim() !== '' && i < next.length - 1); // a whole line
  const delimiter = options.delimiter ?? detectDelimiter(headerLine, firstRow);
  input.delimiter = delimiter;
  input.delimiterDetected = options.delimiter === undefined;
  let header: string[] = [];
  try {
    header =
      delimiter === WHITESPACE
        ? blankFields(headerLine)
        : ((csvParseSync(headerLine, { delimiter, trim: true }) as string[][])[0] ?? []).map((h) => h.trim());
  } catch (e) {
    throw new DataProblem(`${input.source}: cannot read the CSV header: ${(e as Error).message}`);
  }
  const seen = new Map<string, number>();
  header.forEach((h, i) => {
    const prev = seen.get(h);
    if (prev !== undefined) {
      throw new DataProblem(
        `${input.source}: the header has column "${h}" twice (columns ${prev + 1} and ${i + 1}); ` +
          'rename one so that no value is lost',
      );
    }
    seen.set(h, i);
  });
  input.columns = header;
  return header;
}

async function* csvChunks(
  texts: AsyncIterable<string>,
  columns: string[],
  input: InputStream,
  options: ReadInputOptions,
): AsyncGenerator<unknown[]> {
  // Records as arrays, turned into objects here: csv-parse's own objects are plain `{}`, where a
  // column named __proto__ would set the prototype instead of holding a value.
  const parser = csvParse({
    delimiter: input.delimiter as string,
    skip_empty_lines: true,
    trim: true,
    info: true,
    relax_column_count: false,
  });
  const feed = (async () => {
    try {
      for await (const c of texts) if (!parser.write(c)) await new Promise((r) => parser.once('drain', r));
      parser.end();
    } catch (e) {
      parser.destroy(e as Error);
    }
  })();
  let prevLines = 1; // the header line
  let prevEmpty = 0;
  let header = true;
  let out: unknown[] = [];
  let rows = 0;
  try {
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; empty_lines: number };
    }>) {
      if (header) {
        header = false;
        prevLines = item.info.lines;
        prevEmpty = item.info.empty_lines;
        continue;
      }
      const record: Record<string, string> = Object.create(null);
      for (let k = 0; k < columns.length; k++) record[columns[k] as string] = item.record[k] ?? '';
      out.push(nest(record));
      input.lines.push(prevLines + 1 + (item.info.empty_lines - prevEmpty));
      prevLines = item.info.lines;
      prevEmpty = item.info.empty_lines;
      if (out.length >= CHUNK) {
        rows += out.length;
        options.progress?.rows(rows);
        yield out;
        out = [];
      }
    }
  } catch (e) {
    if (e instanceof DataProblem) throw e;
    throw new DataProblem(`${input.source}: cannot read the CSV: ${(e as Error).message}`);
  }
  await feed;
  if (out.length > 0) yield out;
}

/**
 * Rows of a whitespace-separated file ({@link WHITESPACE}): line by line, blank lines skipped, every
 * line with the header's number of fields (else a DataProblem naming the line).
 */
function blankChunks(
  texts: AsyncIterable<string>,
  columns: string[],
  input: InputStream,
  options: ReadInputOptions,
): AsyncGenerator<unknown[]> {
  return lineRows(
    texts,
    (text, line, out) => {
      const fields = blankFields(text);
      if (fields.length === 0 || line === 1) return; // a blank line, or the header
      if (fields.length !== columns.length)
        throw new DataProblem(
          `${input.source}: line ${line} has ${fields.length} fields separated by blanks, the header has ${columns.length}`,
        );
      const record: Record<string, string> = Object.create(null);
      for (let k = 0; k < columns.length; k++) record[columns[k] as string] = fields[k] as string;
      out.push(nest(record));
      input.lines.push(line);
    },
    options,
  );
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
