/**
 * Writes a command's result in the chosen format, streaming item by item (never one giant string):
 * `table` (text, `--top` rows), `json` (one document with `schemaVersion`), `ndjson` (one result per
 * line), `csv` (flat, formula-injection safe).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { VitalsWarning } from '../types';
import type { Context } from './context';
import { colourEnabled, EXIT, type Io, type TextSink, UsageError } from './io';
import { type Cell, csvLine, escapeControl, formatTable, jsonText } from './text';

/**
 * Version of the JSON output's shape. Bumped on any breaking change to `--json`/`ndjson`/`csv`
 * output; documented in docs/cli.md.
 */
export const SCHEMA_VERSION = 2;

/** The output formats. */
export const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** One flat column of a result (CSV, and the table when `table` is not false). */
export interface Column<T> {
  name: string;
  get: (item: T) => Cell;
  /** Shown in the text table. @default true */
  table?: boolean;
}

/** Results in output order: an array, or a {@link LazyItems} whose items are built as they are written. */
export interface ItemList<T> {
  readonly length: number;
  slice(start?: number, end?: number): ItemList<T>;
  map<U>(f: (item: T) => U): U[];
  [Symbol.iterator](): Iterator<T>;
}

/**
 * Items built one at a time when written (`at(i)` for i in [start, end)): a million explained health
 * scores are written without ever being held together. Each pass builds the items again.
 */
export class LazyItems<T> implements ItemList<T> {
  readonly #at: (i: number) => T;
  readonly #start: number;
  readonly #end: number;
  constructor(at: (i: number) => T, length: number, start = 0) {
    this.#at = at;
    this.#start = start;
    this.#end = start + length;
  }
  get length(): number {
    return this.#end - this.#start;
  }
  slice(start = 0, end: number = this.length): LazyItems<T> {
    const s = Math.max(0, Math.min(this.length, start));
    const e = Math.max(s, Math.min(this.length, end));
    return new LazyItems(this.#at, e - s, this.#start + s);
  }
  map<U>(f: (item: T) => U): U[] {
    const out: U[] = [];
    for (const it of this) out.push(f(it));
    return out;
  }
  *[Symbol.iterator](): Iterator<T> {
    for (let i = this.#start; i < this.#end; i++) yield this.#at(i);
  }
}

/** What a command produces. */
export interface CommandResult<T = unknown> {
  /** One line describing the result (table output and `title` in JSON). */
  title: string;
  /** The results, in output order (full typed objects for json/ndjson). */
  items: ItemList<T>;
  columns: Column<T>[];
  /** Extra fields of the JSON document (method, model, stats...). */
  meta?: Record<string, unknown>;
  /** Table rows when the table is not one row per item (segment sizes). */
  table?: { header: string[]; rows: Cell[][] };
  warnings: VitalsWarning[];
  /** Set when `items` is empty: why (exit code 1). */
  emptyReason?: string;
}

/** A sink to `--out FILE` (created on first write) or stdout. */
export function resultSink(io: Io, file: string | undefined): { sink: TextSink; close: () => Promise<void> } {
  if (file === undefined || file === '-') return { sink: io.stdout, close: async () => {} };
  let stream: WriteStream | undefined;
  let failure: Error | undefined;
  const open = () => {
    if (stream === undefined) {
      stream = createWriteStream(file);
      stream.on('error', (e) => {
        failure = e;
      });
    }
    return stream;
  };
  const check = () => {
    if (failure) throw new UsageError(`cannot write ${file}: ${failure.message}`);
  };
  return {
    sink: {
      isTTY: false,
      write: (text: string) =>
        new Promise<void>((resolve) => {
          check();
          const s = open();
          if (s.write(text)) resolve();
          else s.once('drain', resolve);
        }),
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        const s = open();
        s.end(() =>
          failure ? reject(new UsageError(`cannot write ${file}: ${failure.message}`)) : resolve(),
        );
      }),
  };
}

/** Writes `result` to `sink` in `format`. */
export async function writeResult<T>(
  result: CommandResult<T>,
  format: Format,
  sink: TextSink,
  io: Io,
  context: { command: string; top: number | undefined; input?: Record<string, unknown> },
): Promise<void> {
  const top = context.top;
  const items = top === undefined || format === 'table' ? result.items : result.items.slice(0, top);
  if (format === 'table') {
    const n = top ?? 20;
    await sink.write(`${escapeControl(result.title)}\n`);
    const bold = colourEnabled(io, sink);
    if (result.table) {
      await sink.write(`${formatTable(result.table.header, result.table.rows.slice(0, n), bold)}\n`);
      return;
    }
    const cols = result.columns.filter((c) => c.table !== false);
    const rows = items.slice(0, n).map((it) => cols.map((c) => c.get(it)));
    await sink.write(
      `${formatTable(
        cols.map((c) => c.name),
        rows,
        bold,
      )}\n`,
    );
    if (items.length > n)
      await sink.write(`(${n} of ${items.length}; --top N for more, --format csv for all)\n`);
    return;
  }
  if (format === 'csv') {
    await sink.write(`${csvLine(result.columns.map((c) => c.name))}\r\n`);
    let buf = '';
    for (const it of items) {
      buf += `${csvLine(result.columns.map((c) => c.get(it)))}\r\n`;
      if (buf.length > 65536) {
        await sink.write(buf);
        buf = '';
      }
    }
    if (buf) await sink.write(buf);
    return;
  }
  if (format === 'ndjson') {
    let buf = '';
    for (const it of items) {
      buf += `${jsonText(it)}\n`;
      if (buf.length > 65536) {
        await sink.write(buf);
        buf = '';
      }
    }
    if (buf) await sink.write(buf);
    return;
  }
  // json: the document head, then each result, so no single string holds the whole output.
  const head: Record<string, unknown> = {
    schemaVersion: SCHEMA_VERSION,
    command: context.command,
    title: result.title,
    ...(context.input ? { input: context.input } : {}),
    ...(result.meta ?? {}),
    warnings: result.warnings,
  };
  const headText = jsonText(head, 2);
  await sink.write(`${headText.slice(0, -2)},\n  "results": [`);
  let buf = '';
  let first = true;
  for (const it of items) {
    buf += `${first ? '\n' : ',\n'}    ${jsonText(it)}`;
    first = false;
    if (buf.length > 65536) {
      await sink.write(buf);
      buf = '';
    }
  }
  await sink.write(`${buf}${first ? '' : '\n  '}]\n}\n`);
}

/**
 * The end of every analysis command: warnings on stderr (JSON carries them in the document), the
 * result to `--out` or stdout, and the exit code (`EXIT.data` with the reason when the result is empty).
 */
export async function emitResult(
  ctx: Context,
  result: CommandResult<unknown>,
  format: Format,
  input: Record<string, unknown>,
): Promise<number> {
  const { command, opts } = ctx;
  ctx.progress.done();
  if (format !== 'json') for (const w of result.warnings) await ctx.warn(w);
  const { sink, close } = resultSink(ctx.io, opts.string('out'));
  await writeResult(result, format, sink, ctx.io, { command, top: opts.int('top', 1), input });
  await close();
  if (result.items.length === 0) {
    await ctx.io.stderr.write(
      `customer-vitals ${command}: empty result: ${result.emptyReason ?? 'nothing to show'}\n`,
    );
    return EXIT.data;
  }
  return EXIT.ok;
}
