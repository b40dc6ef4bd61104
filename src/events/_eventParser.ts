/**
 * The one row-by-row engine behind `parseEvents` (arrays) and `parseEventStream` (iterables):
 * mapping, validation, placeholder ids, dedup or aggregation by eventId, stats and the rejection report.
 * @internal
 */
import { type IssueCode, zodIssues } from '../_lib/errors';
import { IdIndex } from '../_lib/IdIndex';
import { isPlainObject } from '../_lib/safe';
import { propertiesProblem } from './_checkProperties';
import { absentToUndefined, notAnObject } from './_mapping';
import {
  type CompiledMapping,
  FAILED,
  type FieldGetter,
  lastDerivedFailure,
  lastDerivedPlain,
  withDerivedProperties,
} from './compileMapping';
import { compareEvents } from './groupByCustomer';
import { breaksTypeRule, checkTypeRules, eventIssues, eventSchema } from './schemas';
import type { CustomerEvent, RejectedRow } from './types';
import { EVENT_TYPES } from './vocabulary';

const CANONICAL: ReadonlySet<string> = new Set(Object.values(EVENT_TYPES));
// Module-local aliases of the imported bindings the per-row code uses: when the sources run
// through a CommonJS transform (tsx, which `npm run bench` uses; ts-node; jest), every read of an
// imported binding is a getter call, several per row. Bundled builds read them directly anyway.
const FAIL: typeof FAILED = FAILED;
const plainObject = isPlainObject;
const orUndefined = absentToUndefined;
const typeRuleBroken = breaksTypeRule;
const derivedProperties = withDerivedProperties;
const derivedFailure = lastDerivedFailure;
const derivedPlain = lastDerivedPlain;
const REQUIRED = ['customerId', 'type', 'timestamp'] as const;

type Issue = RejectedRow['issues'][number];

/** Rows rejected for one issue code: how many, and up to three of them. */
export interface IssueSummary {
  /** Rows with at least one issue of this code. */
  count: number;
  /** The first rows (input order) with this code, at most three. */
  examples: RejectedRow[];
}

/** Counts of one parse. `accepted + rejected === received` always. */
export interface ParseEventsStats {
  received: number;
  /** Rows accepted. With `mapping.aggregate`, lines merged into one event all count (see `merged`). */
  accepted: number;
  /** Rows rejected: invalid rows, placeholder ids, dropped duplicates, conflicting lines. */
  rejected: number;
  /** Rows dropped because another row had the same `eventId` (included in `rejected`). */
  duplicates: number;
  /** With `mapping.aggregate`: accepted lines folded into another line's event (`events.length === accepted - merged`). */
  merged: number;
  /** Accepted events whose type is not in the canonical vocabulary (kept as given). */
  unknownTypes: number;
  /** Events per type. */
  byType: Map<string, number>;
  /** Rejected rows per issue code (a row counts once per distinct code), each with up to 3 examples. */
  byIssue: Map<IssueCode, IssueSummary>;
}

/** Result of `parseEvents` / `parseEventStream`. */
export interface ParseEventsResult {
  events: CustomerEvent[];
  /** Rejected rows in input order (`index` = 0-based position in the input), each with every issue. */
  rejected: RejectedRow[];
  stats: ParseEventsStats;
}

export interface EngineOptions {
  /** The input array (array mode): rows rejected after the fact are reported with their raw row. */
  rows?: readonly unknown[];
  /** Rejected rows kept in `rejected` (counts stay exact). */
  maxRejected: number;
  onRejected?: ((row: RejectedRow) => void) | undefined;
  /** Expected number of rows (sizes the eventId index). */
  capacity?: number;
  /** Columns of the input, for hints on missing required fields. */
  columns: ReadonlySet<string> | null;
  /**
   * Takes over acceptance (not with `mapping.aggregate`): receives each valid event instead of
   * `events`, resolves eventId duplicates itself and returns the row to reject as a duplicate, or
   * null. Used by `parseEventStream`'s `into` sink.
   */
  accept?: ((event: CustomerEvent, index: number, row: unknown) => RejectedRow | null) | undefined;
}

interface Deferred {
  issue: Issue;
  field: string;
  shown: string;
  text: string;
}

export class EventParser {
  readonly events: CustomerEvent[] = [];
  readonly rejected: RejectedRow[] = [];
  private received = 0;
  private rejectedCount = 0;
  private duplicates = 0;
  private outOfOrder = false;
  private readonly byIssue = new Map<IssueCode, IssueSummary>();
  /** The eventIds seen, made on the first row with one (sized by `capacity`). */
  private seen: IdIndex | null = null;
  private readonly posOfId: number[] = [];
  private readonly inputIndex: number[] = [];
  /** Aggregation: extra lines of each kept eventId position (first line is in `events`). */
  private readonly extraLines = new Map<number, { event: CustomerEvent; index: number; row: unknown }[]>();
  private readonly deferred: Deferred[] = [];
  private readonly hints = new Map<string, string>();
  private lastProps: unknown = undefined;
  /** Derived property keys and the keys of base properties cannot reach a prototype. */
  private readonly safeKeys: boolean;
  private pending: Issue[] | null = null;
  /** Adds an issue to the row being read (bound once: no closure per row). */
  private readonly addIssue = (path: (string | number)[], code: IssueCode, message: string): void => {
    if (this.pending === null) this.pending = [];
    this.pending.push({ path, code, message });
  };
  /** `placeholderFirst[c] === 1` when a placeholder id (trimmed, lower-cased) starts with ASCII code c. */
  private readonly placeholderFirst = new Uint8Array(128);
  private readonly gId: FieldGetter;
  private readonly gType: FieldGetter;
  private readonly gTs: FieldGetter;
  private readonly gValue: FieldGetter;
  private readonly gProps: FieldGetter;
  private readonly gEventId: FieldGetter;

  constructor(
    private readonly m: CompiledMapping,
    private readonly o: EngineOptions,
  ) {
    for (const p of m.placeholderIds) {
      const c = p.charCodeAt(0);
      if (c < 128) this.placeholderFirst[c] = 1;
    }
    const g = m.getters;
    this.gId = g.get('customerId') as FieldGetter;
    this.gType = g.get('type') as FieldGetter;
    this.gTs = g.get('timestamp') as FieldGetter;
    this.gValue = g.get('value') as FieldGetter;
    this.gProps = g.get('properties') as FieldGetter;
    this.gEventId = g.get('eventId') as FieldGetter;
    this.safeKeys = m.derivedProperties.every(([k]) => k !== '__proto__');
    if (o.columns !== null) {
      const cols = [...o.columns];
      const shown = cols.slice(0, 20).join(', ') + (cols.length > 20 ? ', …' : '');
      for (const f of REQUIRED) {
        const explicit = m.sources.get(f) !== f || !m.sources.has(f);
        if (!explicit && !o.columns.has(f))
          this.hints.set(
            f,
            `: the rows have no "${f}" column; name one with mapping.fields.${f} or compute it with mapping.derive.${f} (columns: ${shown})`,
          );
      }
    }
  }

  /**
   * False when no placeholder id can match `id` trimmed and lower-cased: its first character is
   * printable ASCII (trim keeps it, lower-casing keeps it ASCII) and no placeholder starts with it
   * lower-cased. Saves the trim, the lower-cased copy and the Set lookup for most real ids.
   */
  private mayBePlaceholder(id: string): boolean {
    const c = id.charCodeAt(0);
    if (!(c > 32 && c < 128)) return true;
    return this.placeholderFirst[c >= 65 && c <= 90 ? c + 32 : c] === 1;
  }

  private reject(r: RejectedRow): void {
    this.rejectedCount++;
    const issues = r.issues;
    for (let i = 0; i < issues.length; i++) {
      const code = (issues[i] as Issue).code;
      let dup = false;
      for (let j = 0; j < i; j++) if ((issues[j] as Issue).code === code) dup = true;
      if (dup) continue;
      let s = this.byIssue.get(code);
      if (s === undefined) {
        s = { count: 0, examples: [] };
        this.byIssue.set(code, s);
      }
      s.count++;
      if (s.examples.length < 3) s.examples.push(r);
    }
    if (this.rejected.length < this.o.maxRejected) {
      const prev = this.rejected[this.rejected.length - 1];
      if (prev !== undefined && prev.index > r.index) this.outOfOrder = true;
      this.rejected.push(r);
    }
    this.o.onRejected?.(r);
  }

  push(row: unknown, index: number): void {
    this.received++;
    if (!plainObject(row)) {
      this.reject({ index, row, issues: notAnObject(row) });
      return;
    }
    const m = this.m;
    this.pending = null;
    const add = this.addIssue;

    let customerId = this.gId(row);
    if (customerId === FAIL) {
      add(['customerId'], 'expression_failed', `customerId: ${m.lastError()}`);
      customerId = undefined;
    } else if (
      typeof customerId === 'string' &&
      customerId.length <= m.placeholderMaxLength + 8 &&
      (m.placeholderLengths[customerId.length] === 1 ||
        customerId.charCodeAt(0) <= 32 ||
        customerId.charCodeAt(customerId.length - 1) <= 32) &&
      this.mayBePlaceholder(customerId)
    ) {
      const key = customerId.trim().toLowerCase();
      if (m.placeholderIds.has(key))
        add(
          ['customerId'],
          'placeholder_id',
          `customerId ${JSON.stringify(customerId)} is a placeholder (mapping.placeholderIds), not a customer`,
        );
    }

    let type = this.gType(row);
    if (type === FAIL) {
      add(['type'], 'expression_failed', `type: ${m.lastError()}`);
      type = undefined;
    } else if (typeof type === 'string' && m.typeMap.size > 0) type = m.typeMap.get(type) ?? type;

    let value = this.gValue(row);
    if (value === FAIL) {
      add(['value'], 'expression_failed', `value: ${m.lastError()}`);
      value = undefined;
    } else if (typeof value !== 'number') {
      value = orUndefined(value);
      if (typeof value === 'string') {
        const n = m.numbers.read(value);
        if (Number.isNaN(n)) {
          add(['value'], 'invalid_number', `value ${m.numbers.problem}`);
          value = undefined;
        } else value = n;
      } else if (typeof value === 'bigint') {
        add(['value'], 'invalid_type', 'value is a BigInt; give it as a number or numeric text');
        value = undefined;
      }
    }

    const rawTs = this.gTs(row);
    let timestamp = Number.NaN;
    if (rawTs === FAIL) add(['timestamp'], 'expression_failed', `timestamp: ${m.lastError()}`);
    else {
      const reader = m.timestamp;
      timestamp = reader.read(rawTs === null || rawTs === '' ? undefined : rawTs);
      if (Number.isNaN(timestamp)) {
        const iss = reader.issue;
        const issue: Issue = { path: ['timestamp'], code: iss.code, message: iss.message };
        add(issue.path, issue.code, issue.message);
        if (
          iss.code === 'invalid_timestamp' &&
          typeof rawTs === 'string' &&
          iss.message.includes('is not ISO 8601')
        ) {
          const s = rawTs.trim();
          this.deferred.push({
            issue: (this.pending as Issue[] | null)?.at(-1) as Issue,
            field: 'timestamp',
            shown: JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s),
            text: s,
          });
        }
      }
    }

    let properties = this.gProps(row);
    if (properties === FAIL) {
      add(['properties'], 'expression_failed', `properties: ${m.lastError()}`);
      properties = undefined;
    } else properties = orUndefined(properties);
    if (m.derivedProperties.length > 0) {
      const r = derivedProperties(properties, m.derivedProperties, row, this.safeKeys);
      if (r === FAIL) {
        const key = derivedFailure();
        add(['properties', key], 'expression_failed', `properties.${key}: ${m.lastError()}`);
      } else {
        properties = r;
        if (derivedPlain()) this.lastProps = r;
      }
    }
    if (properties !== undefined && properties !== this.lastProps && plainObject(properties)) {
      const p = propertiesProblem(properties);
      if (p !== null) {
        add(p.path, p.code, p.message);
        properties = undefined;
      } else this.lastProps = properties;
    }

    let eventId = this.gEventId(row);
    if (eventId === FAIL) {
      add(['eventId'], 'expression_failed', `eventId: ${m.lastError()}`);
      eventId = undefined;
    } else eventId = orUndefined(eventId);

    let event: CustomerEvent | null = null;
    const own = this.pending as Issue[] | null;
    if (own === null) event = fastAccept(customerId, type, timestamp, value, properties, eventId);
    if (event === null) {
      // The row is rejected (the fast path and the schema accept the same rows): its issues, in the
      // schema's words without the schema's cost; zod only when eventIssues cannot stand in for it.
      const ts = Number.isNaN(timestamp) ? 0 : timestamp;
      const issues: Issue[] = own ?? [];
      if (eventIssues(issues, customerId, type, ts, value, properties, eventId) && issues.length > 0) {
        this.rejectWithHints(index, row, issues);
        return;
      }
      const parsed = eventSchema().safeParse(candidate(customerId, type, ts, value, properties, eventId));
      if (parsed.success && own === null) event = build(parsed.data);
      else {
        const all: Issue[] = own ?? [];
        if (!parsed.success) {
          const taken = new Set(all.map((i) => i.path.join('.')));
          for (const i of zodIssues(parsed.error)) if (!taken.has(i.path.join('.'))) all.push(i);
          addTypeRuleIssues(all, type, value, properties);
        }
        this.rejectWithHints(index, row, all);
        return;
      }
    }
    this.accept(event, index, row);
  }

  /** Rejects a row, adding to "is required" messages the hint that the rows lack that column. */
  private rejectWithHints(index: number, row: unknown, all: Issue[]): void {
    if (this.hints.size > 0)
      for (const i of all) {
        const h = this.hints.get(String(i.path[0]));
        if (h !== undefined && i.path.length === 1 && i.message.endsWith('is required')) i.message += h;
      }
    this.reject({ index, row, issues: all });
  }

  private accept(event: CustomerEvent, index: number, row: unknown): void {
    if (this.o.accept !== undefined && this.m.aggregate === null) {
      const dup = this.o.accept(event, index, row);
      if (dup !== null) {
        this.duplicates++;
        this.reject(dup);
      }
      return;
    }
    const eventId = event.eventId;
    if (eventId !== undefined) {
      const seen = this.seen ?? this.newIdIndex();
      const known = seen.size;
      const id = seen.indexOf(eventId);
      const pos = id < known ? (this.posOfId[id] as number) : -1;
      if (pos === -1) this.posOfId.push(this.events.length);
      else if (this.m.aggregate !== null) {
        let lines = this.extraLines.get(pos);
        if (lines === undefined) {
          lines = [];
          this.extraLines.set(pos, lines);
        }
        lines.push({ event, index, row: this.o.rows === undefined ? event : row });
        return;
      } else {
        this.duplicates++;
        const kept = this.events[pos] as CustomerEvent;
        const keptIndex = this.inputIndex[pos] as number;
        if (compareEvents(event, kept) < 0) {
          this.reject(duplicateOf(keptIndex, this.rawRow(keptIndex, kept), index, eventId));
          this.events[pos] = event;
          this.inputIndex[pos] = index;
        } else {
          this.reject(duplicateOf(index, row, keptIndex, eventId));
        }
        return;
      }
    }
    this.events.push(event);
    this.inputIndex.push(index);
  }

  private newIdIndex(): IdIndex {
    this.seen = new IdIndex(Math.min(Math.max(this.o.capacity ?? 1024, 16), 1 << 20));
    return this.seen;
  }

  private rawRow(index: number, event: CustomerEvent): unknown {
    return this.o.rows === undefined ? event : this.o.rows[index];
  }

  finish(): ParseEventsResult {
    let merged = 0;
    let events = this.events;
    if (this.extraLines.size > 0) {
      const out: CustomerEvent[] = [];
      for (let pos = 0; pos < events.length; pos++) {
        const first = events[pos] as CustomerEvent;
        const extra = this.extraLines.get(pos);
        if (extra === undefined) {
          out.push(first);
          continue;
        }
        const firstIndex = this.inputIndex[pos] as number;
        const lines = [{ event: first, index: firstIndex, row: this.rawRow(firstIndex, first) }, ...extra];
        const conflict = lineConflict(lines.map((l) => l.event));
        if (conflict !== null) {
          const at = lines.map((l) => l.index).join(', ');
          for (const l of lines)
            this.reject({
              index: l.index,
              row: l.row,
              issues: [
                {
                  path: [conflict],
                  code: 'duplicate_event_id',
                  message: `the lines of eventId "${first.eventId}" (rows ${at}) disagree on ${conflict}; none was used`,
                },
              ],
            });
          continue;
        }
        merged += extra.length;
        out.push(
          mergeLines(
            lines.map((l) => l.event),
            this.m.aggregate?.value ?? 'sum',
          ),
        );
      }
      events = out;
      this.outOfOrder = true;
    }
    if (this.deferred.length > 0) {
      // The whole column is known now: name the format it appears to use (day/month order included).
      const reader = this.m.timestamp;
      for (const d of this.deferred) d.issue.message = reader.notIsoMessage(d.field, d.shown, d.text);
    }
    if (this.outOfOrder || this.duplicates > 0) {
      this.rejected.sort((a, b) => a.index - b.index);
      for (const s of this.byIssue.values()) s.examples.sort((a, b) => a.index - b.index);
    }
    // One Map lookup per change of type (not three per event); byType keeps first-seen order.
    const counts = new Map<string, { n: number }>();
    let lastType: string | null = null;
    let box = { n: 0 };
    for (let i = 0; i < events.length; i++) {
      const t = (events[i] as CustomerEvent).type;
      if (t !== lastType) {
        const b = counts.get(t);
        if (b === undefined) {
          box = { n: 0 };
          counts.set(t, box);
        } else box = b;
        lastType = t;
      }
      box.n++;
    }
    const byType = new Map<string, number>();
    let unknownTypes = 0;
    for (const [t, b] of counts) {
      byType.set(t, b.n);
      if (!CANONICAL.has(t)) unknownTypes += b.n;
    }
    return {
      events,
      rejected: this.rejected,
      stats: {
        received: this.received,
        accepted: this.received - this.rejectedCount,
        rejected: this.rejectedCount,
        duplicates: this.duplicates,
        merged,
        unknownTypes,
        byType,
        byIssue: this.byIssue,
      },
    };
  }
}

/** The field on which lines of one eventId disagree (customerId or type), or null. */
function lineConflict(lines: readonly CustomerEvent[]): 'customerId' | 'type' | null {
  const a = lines[0] as CustomerEvent;
  for (const b of lines) {
    if (b.customerId !== a.customerId) return 'customerId';
    if (b.type !== a.type) return 'type';
  }
  return null;
}

/**
 * One event from the lines of one order: the earliest timestamp, the values summed in ascending
 * order (so the float result does not depend on line order) or counted, and the properties on
 * which every line agrees (primitive values).
 */
function mergeLines(lines: readonly CustomerEvent[], how: 'sum' | 'count'): CustomerEvent {
  const a = lines[0] as CustomerEvent;
  let timestamp = a.timestamp;
  const values: number[] = [];
  for (const l of lines) {
    if (l.timestamp < timestamp) timestamp = l.timestamp;
    if (l.value !== undefined) values.push(l.value);
  }
  let value: number | undefined;
  if (how === 'count') value = lines.length;
  else if (values.length > 0) {
    values.sort((x, y) => x - y);
    value = 0;
    for (const v of values) value += v;
  }
  let properties: Record<string, unknown> | undefined;
  if (a.properties !== undefined) {
    const same = lines.every((l) => l.properties === a.properties);
    if (same) properties = a.properties as Record<string, unknown>;
    else {
      properties = Object.create(null) as Record<string, unknown>;
      for (const k of Object.keys(a.properties)) {
        const v = (a.properties as Record<string, unknown>)[k];
        if (typeof v === 'object' && v !== null) continue;
        if (
          lines.every(
            (l) => l.properties !== undefined && Object.hasOwn(l.properties, k) && l.properties[k] === v,
          )
        )
          properties[k] = v;
      }
    }
  }
  return build({ customerId: a.customerId, type: a.type, timestamp, value, properties, eventId: a.eventId });
}

export function duplicateOf(index: number, row: unknown, keptIndex: number, eventId: string): RejectedRow {
  return {
    index,
    row,
    issues: [
      {
        path: ['eventId'],
        code: 'duplicate_event_id',
        message: `duplicate eventId "${eventId}" (also in row ${keptIndex}, which was kept)`,
      },
    ],
  };
}

function candidate(
  customerId: unknown,
  type: unknown,
  timestamp: unknown,
  value: unknown,
  properties: unknown,
  eventId: unknown,
): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  if (customerId !== undefined) c.customerId = customerId;
  if (type !== undefined) c.type = type;
  if (timestamp !== undefined) c.timestamp = timestamp;
  if (value !== undefined) c.value = value;
  if (properties !== undefined) c.properties = properties;
  if (eventId !== undefined) c.eventId = eventId;
  return c;
}

/**
 * zod does not run the per-type rules when the row's shape is already broken; check them anyway on
 * whatever is usable, so a row with a bad timestamp AND an out-of-range score reports both.
 */
function addTypeRuleIssues(issues: Issue[], type: unknown, value: unknown, properties: unknown): void {
  if (typeof type !== 'string') return;
  if (!(value === undefined || (typeof value === 'number' && Number.isFinite(value)))) return;
  if (!(properties === undefined || plainObject(properties))) return;
  const seenPaths = new Set(issues.map((i) => i.path.join('.')));
  checkTypeRules({ type: type.trim(), value, properties }, (path, code, message) => {
    if (!seenPaths.has(path.join('.'))) issues.push({ path, code, message });
  });
}

/**
 * Fast path for clearly valid rows: the same checks as {@link EventSchema} without zod's per-row
 * overhead. Returns null whenever it is not sure; the caller then asks the schema. A property test
 * shows the two accept the same rows and build the same events.
 */
export function fastAccept(
  customerId: unknown,
  type: unknown,
  ts: unknown,
  value: unknown,
  properties: unknown,
  eventId: unknown,
): CustomerEvent | null {
  if (typeof customerId !== 'string' || typeof type !== 'string') return null;
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value))) return null;
  if (properties !== undefined && !plainObject(properties)) return null;
  if (eventId !== undefined && typeof eventId !== 'string') return null;
  if (typeof ts !== 'number' || !Number.isFinite(ts) || Math.abs(ts) > 8.64e15) return null;
  // Trimmed once (a string with nothing to trim is returned as is, no copy).
  const c = customerId.trim();
  const t = type.trim();
  if (c.length === 0 || t.length === 0) return null;
  let id: string | undefined;
  if (eventId !== undefined) {
    id = eventId.trim();
    if (id.length === 0) return null;
  }
  const p = properties as Record<string, unknown> | undefined;
  if (typeRuleBroken(t, value, p)) return null;
  return newEvent(c, t, ts, value, p, id);
}

/**
 * The event object, its keys always in this order (customerId, type, timestamp, value, properties,
 * eventId), absent ones left out. One literal per combination: every field sits inside the object
 * (adding keys to a smaller literal would allocate a second, out-of-object store per event).
 */
function newEvent(
  customerId: string,
  type: string,
  timestamp: number,
  value: number | undefined,
  properties: Record<string, unknown> | undefined,
  eventId: string | undefined,
): CustomerEvent {
  if (value !== undefined) {
    if (properties !== undefined)
      return eventId !== undefined
        ? { customerId, type, timestamp, value, properties, eventId }
        : { customerId, type, timestamp, value, properties };
    return eventId !== undefined
      ? { customerId, type, timestamp, value, eventId }
      : { customerId, type, timestamp, value };
  }
  if (properties !== undefined)
    return eventId !== undefined
      ? { customerId, type, timestamp, properties, eventId }
      : { customerId, type, timestamp, properties };
  return eventId !== undefined ? { customerId, type, timestamp, eventId } : { customerId, type, timestamp };
}

export function build(d: {
  customerId: string;
  type: string;
  timestamp: number;
  value?: number | undefined;
  properties?: Record<string, unknown> | undefined;
  eventId?: string | undefined;
}): CustomerEvent {
  return newEvent(d.customerId, d.type, d.timestamp, d.value, d.properties, d.eventId);
}
