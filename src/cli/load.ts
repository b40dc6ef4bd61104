/**
 * Loading events for a command: read the file (streamed), check the mapping against a CSV header
 * before any row is used, validate every row with `parseEvents`, and apply the rejection policy
 * (`--max-rejected`). Rejections keep their 1-based file line.
 */
import { getHeapStatistics } from 'node:v8';
import { closestName } from '../_lib/closest';
import { VitalsError } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import { parseEventStream } from '../events/parseEventStream';
import type { ParseEventsResult } from '../events/parseEvents';
import { parseProfiles } from '../events/parseProfiles';
import type { CustomerEvent, CustomerProfile, RejectedRow } from '../events/types';
import { type EventStore, EventStoreBuilder } from '../store/EventStore';
import type { Context } from './context';
import { readJsonFile } from './files';
import { delimiterName, type InputStream, openInput, readInput, WHITESPACE } from './input';
import { DataProblem, UsageError } from './io';

/** A rejected row located in its file. */
export interface LocatedRejection {
  /** 1-based line in the file (for a JSON array: the element's 1-based position). */
  line: number;
  issues: RejectedRow['issues'];
  row: unknown;
}

/** Counts of a load, with rejected invalid-JSON lines included. */
export interface LoadStats {
  received: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  unknownTypes: number;
  byType: Record<string, number>;
}

/** Validated events, in a compact columnar store, with their provenance. */
export interface LoadedEvents {
  input: InputStream;
  /**
   * The accepted events as an `EventStore` (typed columns; no event object is kept while reading).
   * Empty for `storeEvents: false`.
   */
  store: EventStore;
  /** The first rejected rows by file line (at most `keep`); counts are in `stats` and `causes`. */
  rejections: LocatedRejection[];
  /** Every cause of rejection, exact counts, most frequent first. */
  causes: CauseSummary[];
  /** Rows rejected only for a placeholder customer id. */
  placeholders: number;
  stats: LoadStats;
}

/** Options of {@link loadEvents}. */
export interface LoadOptions {
  /** Rejected rows kept in memory (the first by line). @default 1 */
  keep?: number;
  /** Called with every rejected row (in arrival order). */
  onRejection?: (r: LocatedRejection) => void;
  /** Build the store (false: count and report only, e.g. `validate`). @default true */
  storeEvents?: boolean;
}

/** The mapping file, checked for shape; `undefined` without `--mapping`. */
export function readMapping(ctx: Context): Record<string, unknown> | undefined {
  const file = ctx.opts.string('mapping');
  if (file === undefined) return undefined;
  const m = readJsonFile(file, 'mapping');
  if (!isPlainObject(m)) throw new UsageError(`the mapping ${file} must be a JSON object`);
  const fields = m.fields;
  if (isPlainObject(fields)) {
    const byColumn = new Map<string, string>();
    for (const [field, column] of Object.entries(fields)) {
      if (typeof column !== 'string') continue; // parseEvents reports the type with its path
      const other = byColumn.get(column);
      if (other !== undefined) {
        throw new UsageError(
          `the mapping ${file} maps both fields.${other} and fields.${field} to the column "${column}"; ` +
            'each field needs its own column (use "derive" to compute one from another)',
        );
      }
      byColumn.set(column, field);
    }
  }
  return m;
}

/** Checks that every column the mapping names exists in the CSV header (before any row is used). */
export function checkMappingColumns(
  mapping: Record<string, unknown> | undefined,
  input: { columns?: string[]; source: string },
  file: string,
): void {
  if (mapping === undefined || input.columns === undefined || !isPlainObject(mapping.fields)) return;
  const columns = input.columns;
  const present = (c: string) =>
    columns.includes(c) ||
    columns.some((h) => h.startsWith(`${c}.`)) ||
    columns.includes(c.split('.')[0] as string);
  for (const [field, column] of Object.entries(mapping.fields)) {
    if (typeof column !== 'string' || present(column)) continue;
    const near = closestName(column, columns);
    throw new UsageError(
      `the mapping ${file}: fields.${field} names the column "${column}", which ${input.source} does not have` +
        `${near ? `; did you mean "${near}"?` : ''} (columns: ${columns.map((c) => `"${c}"`).join(', ')})`,
    );
  }
}

/** Event fields that hold ids (text). */
const ID_FIELDS = new Set(['customerId', 'eventId', 'userId']);

/** What to change for the most common causes of rejection. */
export function hintFor(
  code: string,
  path: string,
  input: { columns?: string[]; delimiter?: string },
  example = '',
): string {
  const cols = input.columns ? ` (the file's columns: ${input.columns.slice(0, 12).join(', ')})` : '';
  if (code === 'invalid_type' && ID_FIELDS.has(path) && example.includes('must be a string, got a number'))
    return (
      `the ${path} values are numbers, and ids are text: read the column as text with ` +
      `"derive": { "${path}": { "concat": ["<its column>"] } } in the mapping, in place of fields.${path} ` +
      '(customer-vitals infer proposes it).'
    );
  if (code === 'invalid_json')
    return 'the lines are not JSON: is the file CSV or a JSON array? Check its extension.';
  if (input.columns && input.columns.length === 1 && input.delimiter === ',') {
    return `the header has one column only: if the file uses another delimiter, pass --delimiter ";" (or tab, |).`;
  }
  if (code === 'required' || code === 'invalid_type') {
    return `map your column for "${path}" with --mapping (fields.${path || 'customerId'})${cols}.`;
  }
  if (code.includes('date') || code.includes('timestamp')) {
    return 'set mapping.timestamp.format to the date format the column uses (customer-vitals infer FILE proposes one).';
  }
  if (code === 'placeholder_id')
    return 'these rows have no real customer id (guest checkouts); that is usually right.';
  return 'run "customer-vitals validate FILE" for every row, or "customer-vitals infer FILE" for a mapping draft.';
}

/** Per-cause summary of rejections: count, share of rows, first example. */
export interface CauseSummary {
  code: string;
  path: string;
  count: number;
  share: number;
  example: { line: number; message: string };
}

/** Exact counts of rejections by (code, path); a row counts once per distinct cause. */
export class CauseCounter {
  private readonly by = new Map<string, CauseSummary>();

  add(r: LocatedRejection): void {
    const seen = new Set<string>();
    for (const i of r.issues) {
      const path = i.path.join('.');
      const key = `${i.code}\u0000${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const s = this.by.get(key);
      if (s === undefined) {
        this.by.set(key, {
          code: i.code,
          path,
          count: 1,
          share: 0,
          example: { line: r.line, message: i.message },
        });
      } else {
        s.count++;
        if (r.line < s.example.line) s.example = { line: r.line, message: i.message };
      }
    }
  }

  /** The causes, most frequent first, with their share of `received` rows. */
  list(received: number): CauseSummary[] {
    const out = [...this.by.values()].map((s) => ({ ...s, share: received > 0 ? s.count / received : 0 }));
    return out.sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }
}

/** Groups rejections by (code, path) of each row's issues; a row counts once per distinct cause. */
export function summariseCauses(rejections: readonly LocatedRejection[], received: number): CauseSummary[] {
  const c = new CauseCounter();
  for (const r of rejections) c.add(r);
  return c.list(received);
}

/** Keeps the `keep` rejected rows with the smallest lines. */
class FirstRejections {
  readonly rows: LocatedRejection[] = [];
  constructor(private readonly keep: number) {}
  add(r: LocatedRejection): void {
    if (this.keep <= 0) return;
    this.rows.push(r);
    if (this.rows.length >= 2 * this.keep) this.trim();
  }
  trim(): LocatedRejection[] {
    this.rows.sort((a, b) => a.line - b.line);
    if (this.rows.length > this.keep) this.rows.length = this.keep;
    return this.rows;
  }
}

/**
 * Reads and validates the events of `file`, streaming: rows go from the file to `parseEventStream`
 * in chunks and accepted events straight into an `EventStoreBuilder`, so memory holds the store's
 * columns and at most `keep` rejected rows, never every row or event as an object.
 */
export async function loadEvents(
  ctx: Context,
  file: string,
  options: LoadOptions = {},
): Promise<LoadedEvents> {
  const mapping = readMapping(ctx);
  const counter = new CauseCounter();
  const first = new FirstRejections(options.keep ?? 1);
  let placeholders = 0;
  const lines: { current: InputStream['lines'] | null } = { current: null };
  const reject = (r: LocatedRejection) => {
    counter.add(r);
    first.add(r);
    if (r.issues.every((i) => i.code === 'placeholder_id')) placeholders++;
    options.onRejection?.(r);
  };
  const input = await openInput(file, ctx.io, {
    delimiter: readDelimiter(ctx),
    progress: ctx.progress,
    onBadJson: (b) =>
      reject({
        line: b.line,
        issues: [{ path: [], code: 'invalid_json', message: `not valid JSON: ${b.message}` }],
        row: b.text,
      }),
  });
  lines.current = input.lines;
  if (input.format === 'csv' && input.delimiter && (input.delimiter !== ',' || ctx.command === 'validate')) {
    await ctx.notice(
      `${input.source}: CSV with delimiter ${delimiterName(input.delimiter)}${input.delimiterDetected ? ' (detected from the header)' : ''}`,
    );
  }
  checkMappingColumns(mapping, input, ctx.opts.string('mapping') ?? '');
  let parsed: ParseEventsResult;
  // Accepted events go straight into the compact store: per-row objects die young, so memory holds
  // the columns (~40 bytes per event) instead of every event as an object (~135 bytes and more).
  const builder = new SizedStoreSink(input);
  try {
    parsed = await parseEventStream(input.chunks, {
      mapping: mapping as never,
      ...(input.columns ? { columns: input.columns } : {}),
      maxRejected: 0,
      into: builder,
      onRejected: (r) =>
        reject({ line: lines.current?.at(r.index) ?? r.index + 1, issues: r.issues, row: r.row }),
    });
  } catch (e) {
    if (e instanceof VitalsError && !(e instanceof DataProblem)) {
      throw new UsageError(`the mapping ${ctx.opts.string('mapping') ?? '(none)'}: ${e.message}`);
    }
    throw e;
  }
  const s = parsed.stats;
  const bad = input.badJsonCount;
  const stats: LoadStats = {
    received: s.received + bad,
    accepted: s.accepted,
    rejected: s.rejected + bad,
    duplicates: s.duplicates,
    unknownTypes: s.unknownTypes,
    byType: Object.fromEntries([...s.byType].sort((a, b) => b[1] - a[1])),
  };
  ctx.progress.done();
  const store =
    options.storeEvents === false ? new EventStoreBuilder({ capacity: 16 }).finish() : builder.finish();
  const heavy = memoryNotice(ctx.command, store.customerIds.length, getHeapStatistics().heap_size_limit);
  if (heavy !== null) await ctx.warn({ code: 'memory', message: heavy });
  return {
    input,
    store,
    rejections: first.trim(),
    causes: counter.list(stats.received),
    placeholders,
    stats,
  };
}

/**
 * Heap a command's results take per customer, at most. health writes each explained score as it is
 * built (~3-9 KB each, never held together); what stays is each customer's state (measure values and
 * percentiles): measured 20M events / 1M customers through the CLI at 2.25 GB peak RSS with the
 * default heap, store included, so ~1.5 KB per customer; 2,000 B leaves a margin. The report holds
 * several explained results per customer. Commands not listed stay far below the heap at sizes this
 * machine can read.
 */
const RESULT_BYTES: Readonly<Record<string, number>> = { health: 2000, report: 12000 };

/**
 * A warning when the results of `command` for `customers` customers need more than 60% of the
 * JavaScript heap (`heapLimit` bytes): Node stops with "heap out of memory" beyond it, with no
 * chance to explain, so the way out is said before. Null when they fit.
 */
export function memoryNotice(command: string, customers: number, heapLimit: number): string | null {
  const need = (RESULT_BYTES[command] ?? 0) * customers;
  if (need <= 0.6 * heapLimit) return null;
  const gb = (b: number) => (b / 2 ** 30).toFixed(1);
  const suggest = 1024 * Math.ceil((1.5 * need) / 2 ** 30);
  return (
    `${customers} customers: their ${command} results need about ${gb(need)} GB of JavaScript heap, and this ` +
    `Node allows ${gb(heapLimit)} GB. If it stops with "heap out of memory", run it with ` +
    `NODE_OPTIONS=--max-old-space-size=${suggest} (this machine's memory permitting), or split the customers.`
  );
}

/**
 * An `EventStoreBuilder` sized from the file: once 4 MB of the file are read, the builder makes
 * room (`reserve`) for the rows the file's size implies (+8%), so its columns are not grown by
 * doubling (up to twice the rows, and a copy of each column while growing). Stdin, or a short file,
 * gets the default growth. It interns eventIds for the stream's duplicate check (`internEventId`),
 * so each id is held once, in the store's dictionary.
 */
export class SizedStoreSink {
  private readonly builder = new EventStoreBuilder({ capacity: 1 << 16 });
  private sized = false;
  constructor(
    private readonly input: Pick<InputStream, 'size' | 'bytesRead' | 'lines'>,
    private readonly sampleBytes = 4 * 2 ** 20,
  ) {}

  private size(): void {
    this.sized = true;
    const { size, bytesRead, lines } = this.input;
    if (size !== null && bytesRead > 0 && lines.length > 0) {
      const capacity = Math.ceil(((lines.length * size) / bytesRead) * 1.08) + 1024;
      this.builder.reserve(Math.min(capacity, 2 ** 31 - 1));
    }
  }

  append(event: CustomerEvent, eventIdCode?: number): void {
    if (!this.sized && this.input.bytesRead >= this.sampleBytes) this.size();
    this.builder.append(event, eventIdCode);
  }

  internEventId(eventId: string): number {
    return this.builder.internEventId(eventId);
  }

  at(row: number): CustomerEvent {
    return this.builder.at(row);
  }

  drop(row: number): void {
    this.builder.drop(row);
  }

  finish(): EventStore {
    return this.builder.finish();
  }
}

/** The `--delimiter` value, validated (`tab` and `\t` mean a tab; `whitespace` or `space`, runs of blanks). */
export function readDelimiter(ctx: Context): string | undefined {
  const d = ctx.opts.string('delimiter');
  if (d === undefined) return undefined;
  if (d === 'tab' || d === '\\t' || d === '\t') return '\t';
  if (d === WHITESPACE || d === 'space' || d === ' ') return WHITESPACE;
  if (d.length !== 1 || /[\s"\r\n\w]/.test(d)) {
    throw new UsageError(
      `option --delimiter: "${d}" is not a delimiter; use one character such as , ; | or "tab", or "whitespace"`,
    );
  }
  return d;
}

/** True when `rejected` of `received` rows is above `--max-rejected`. */
export function aboveLimit(ctx: Context, rejected: number, received: number): boolean {
  const limit = ctx.opts.limit('max-rejected') ?? { count: 0 };
  return 'count' in limit ? rejected > limit.count : received > 0 && rejected / received > limit.share;
}

/** The zero-accepted message: the top cause and what to change. */
export function nothingAccepted(loaded: LoadedEvents): DataProblem {
  const topCause = loaded.causes[0];
  if (topCause === undefined) return new DataProblem(`${loaded.input.source}: the file has no rows`);
  return new DataProblem(
    `${loaded.input.source}: no row accepted (${loaded.stats.received} rows). Top cause: ${topCause.code}` +
      `${topCause.path ? ` at ${topCause.path}` : ''} in ${topCause.count} rows, e.g. line ${topCause.example.line}: ` +
      `${topCause.example.message}. To fix: ${hintFor(topCause.code, topCause.path, loaded.input, topCause.example.message)}`,
  );
}

/** Applies the rejection policy of an analysis command: notice, then exit 1 above the limit. */
export async function enforcePolicy(ctx: Context, loaded: LoadedEvents): Promise<void> {
  const { stats } = loaded;
  if (stats.accepted === 0) throw nothingAccepted(loaded);
  if (stats.rejected === 0) return;
  const pct = ((100 * stats.rejected) / stats.received).toFixed(1);
  // Rows rejected only for a placeholder id (guest checkouts, "NA") are excluded on purpose by the
  // mapping's placeholderIds: reported, but not a data problem for an analysis.
  const placeholders = loaded.placeholders;
  const counted = stats.rejected - placeholders;
  const text =
    `${loaded.input.source}: ${stats.rejected} of ${stats.received} rows rejected (${pct}%)` +
    (placeholders > 0
      ? `, ${placeholders} of them for a placeholder customer id (not counted toward --max-rejected)`
      : '');
  if (aboveLimit(ctx, counted, stats.received)) {
    const top = loaded.causes[0];
    throw new DataProblem(
      `${text}, above --max-rejected ${ctx.opts.string('max-rejected')}` +
        `${top ? `; top cause: ${top.code}${top.path ? ` at ${top.path}` : ''} (${top.count} rows, e.g. line ${top.example.line}: ${top.example.message})` : ''}. ` +
        `Run "customer-vitals validate ${loaded.input.source === 'stdin' ? '-' : loaded.input.source}" for every reason, or raise --max-rejected.`,
    );
  }
  await ctx.notice(`${text}; run "validate" for the reasons`);
}

/** `--as-of`, or just after the latest event. */
export function resolveAsOf(ctx: Context, events: EventStore | readonly { timestamp: number }[]): number {
  const given = ctx.opts.date('as-of');
  if (given !== undefined) return given;
  let max = Number.NEGATIVE_INFINITY;
  if (Array.isArray(events)) {
    for (const e of events as readonly { timestamp: number }[]) if (e.timestamp > max) max = e.timestamp;
  } else {
    const time = (events as EventStore).time;
    for (let i = 0; i < time.length; i++) if ((time[i] as number) > max) max = time[i] as number;
  }
  return max + 1;
}

/** Reads `--profiles`; invalid rows are reported on stderr and count toward `--max-rejected`. */
export async function loadProfiles(ctx: Context): Promise<CustomerProfile[]> {
  const file = ctx.opts.string('profiles');
  if (file === undefined) return [];
  const input = await readInput(file, ctx.io, { delimiter: readDelimiter(ctx) });
  const parsed = parseProfiles(input.rows);
  const rejected = parsed.rejected.length + input.badJson.length;
  if (rejected > 0) {
    const first = parsed.rejected[0];
    const example = first
      ? `line ${input.lines[first.index] ?? first.index + 1}: ${first.issues.map((i) => i.message).join('; ')}`
      : `line ${input.badJson[0]?.line}: not valid JSON`;
    const text = `${input.source}: ${rejected} of ${input.rows.length + input.badJson.length} profile rows rejected (e.g. ${example})`;
    if (aboveLimit(ctx, rejected, input.rows.length + input.badJson.length)) {
      throw new DataProblem(`${text}, above --max-rejected ${ctx.opts.string('max-rejected')}`);
    }
    await ctx.warn({ code: 'profiles_rejected', message: text });
  }
  return parsed.profiles;
}
