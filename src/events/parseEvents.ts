import { zodIssues } from '../_lib/errors';
import { IdIndex } from '../_lib/IdIndex';
import { isPlainObject } from '../_lib/safe';
import { toEpochMs } from '../_lib/time';
import { compareEvents } from './groupByCustomer';
import {
  absentToUndefined,
  compileFieldMap,
  compileTypeMap,
  type FieldMapping,
  notAnArray,
  notAnObject,
  numericString,
  readPath,
  throwIfStrict,
} from './mapping';
import { checkTypeRules, EventSchema } from './schemas';
import type { CustomerEvent, RejectedRow } from './types';
import { EVENT_TYPES } from './vocabulary';

/** Canonical event fields that a mapping can rename. */
export type EventField = 'customerId' | 'type' | 'timestamp' | 'value' | 'properties' | 'eventId';
const EVENT_FIELDS: readonly EventField[] = [
  'customerId',
  'type',
  'timestamp',
  'value',
  'properties',
  'eventId',
];
const CANONICAL: ReadonlySet<string> = new Set(Object.values(EVENT_TYPES));

/** Options of {@link parseEvents}. */
export interface ParseEventsOptions {
  /**
   * Renames fields and event types so a raw export can be fed in unchanged.
   * @default undefined (rows already use the canonical names)
   */
  mapping?: FieldMapping<EventField>;
  /**
   * Throw a `ValidationError` carrying every issue when any row is invalid, instead of returning it
   * in `rejected`. Duplicate event ids are still dropped and reported, never thrown.
   * @default false
   */
  strict?: boolean;
}

/** Counts of one `parseEvents` call. `accepted + rejected === received` always. */
export interface ParseEventsStats {
  received: number;
  accepted: number;
  /** Rows in `rejected`: invalid rows plus dropped duplicates. */
  rejected: number;
  /** Rows dropped because another row had the same `eventId` (included in `rejected`). */
  duplicates: number;
  /** Accepted events whose type is not in the canonical vocabulary (kept as given). */
  unknownTypes: number;
  /** Accepted events per type. */
  byType: Map<string, number>;
}

/** Result of {@link parseEvents}. */
export interface ParseEventsResult {
  events: CustomerEvent[];
  /** Rejected rows in input order, each with every issue found. */
  rejected: RejectedRow[];
  stats: ParseEventsStats;
}

/**
 * Validates and normalises raw customer events.
 *
 * Each row is mapped (field and type renames), then validated with {@link EventSchema}: non-empty
 * string `customerId` and `type`; a timestamp that is a Date, an ISO 8601 string (no offset = UTC)
 * or finite epoch ms; a finite `value`; `properties` a plain object; and the per-type rules of the
 * vocabulary (survey scores integer and in range, purchase amounts present and >= 0, ...). `null` or
 * `''` in an optional field counts as absent; a numeric string in `value` is read as a number.
 *
 * Nothing is dropped silently: every row ends up in `events` or in `rejected` with located issues.
 * Rows repeating an `eventId` are duplicates: one is kept (the smallest by time, type, value and
 * properties, so the choice does not depend on input order) and the others are rejected with code
 * `duplicate_event_id` and counted in `stats.duplicates`. Never throws in the default mode.
 *
 * `properties` is validated as a plain object and passed through by reference (not copied, for
 * speed: treat it as read-only). Keys inside it, such as `__proto__` or `constructor`, stay plain
 * data: the library reads properties only as own keys and keys every aggregate by user data in a
 * `Map`, so nothing from user data is ever written onto an object prototype.
 *
 * @param rows the raw rows (anything; a non-array counts as one invalid row).
 * @param options mapping and strictness.
 * @returns accepted events (input order), rejected rows and counts.
 * @throws {ValidationError} only with `strict: true`, when a row is invalid; the error carries every issue.
 * @example
 * ```ts
 * const { events, rejected, stats } = parseEvents(
 *   [{ user_id: 'acme', event: 'Order Completed', ts: '2024-03-01', amount: 49 }, { user_id: '' }],
 *   { mapping: { fields: { customerId: 'user_id', type: 'event', timestamp: 'ts', value: 'amount' },
 *                types: { 'Order Completed': 'purchase' } } },
 * );
 * // events: [{ customerId: 'acme', type: 'purchase', timestamp: 1709251200000, value: 49 }]
 * // rejected[0].issues[0].message: 'customerId must not be empty'
 * // stats: { received: 2, accepted: 1, rejected: 1, duplicates: 0, unknownTypes: 0, ... }
 * ```
 */
export function parseEvents(rows: unknown, options: ParseEventsOptions = {}): ParseEventsResult {
  const fieldMap = compileFieldMap(EVENT_FIELDS, options.mapping);
  const typeMap = compileTypeMap(options.mapping);
  const list: readonly unknown[] = Array.isArray(rows) ? rows : [rows];
  const events: CustomerEvent[] = [];
  const rejected: RejectedRow[] = [];
  // eventId -> dense id index -> position in `events`; inputIndex[pos] is the input row kept there.
  const seen = new IdIndex(Math.min(list.length, 1 << 20));
  const posOfId: number[] = [];
  const inputIndex: number[] = [];
  let duplicates = 0;

  if (!Array.isArray(rows)) {
    rejected.push(notAnArray('parseEvents', rows));
  } else {
    const [kId, kType, kTs, kValue, kProps, kEventId] = fieldMap.map(([, key]) => key) as string[] as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    for (let index = 0; index < list.length; index++) {
      const row = list[index];
      if (!isPlainObject(row)) {
        rejected.push({ index, row, issues: notAnObject(row) });
        continue;
      }
      const rawType = readPath(row, kType);
      const type =
        typeMap.size > 0 && typeof rawType === 'string' ? (typeMap.get(rawType) ?? rawType) : rawType;
      const rawValue = readPath(row, kValue);
      const value = typeof rawValue === 'number' ? rawValue : numericString(absentToUndefined(rawValue));
      const customerId = readPath(row, kId);
      const timestamp = readPath(row, kTs);
      const properties = absentToUndefined(readPath(row, kProps));
      const eventIdRaw = absentToUndefined(readPath(row, kEventId));
      let event = fastAccept(customerId, type, timestamp, value, properties, eventIdRaw);
      if (event === null) {
        // The schema is the reference: it reports every located issue (and would accept anything the
        // fast path was too cautious about).
        const parsed = EventSchema.safeParse(
          candidate(customerId, type, timestamp, value, properties, eventIdRaw),
        );
        if (!parsed.success) {
          const issues = zodIssues(parsed.error);
          addTypeRuleIssues(issues, type, value, properties);
          rejected.push({ index, row, issues });
          continue;
        }
        event = build(parsed.data);
      }
      const eventId = event.eventId;
      if (eventId !== undefined) {
        const known = seen.size;
        const id = seen.indexOf(eventId);
        const pos = id < known ? (posOfId[id] as number) : -1;
        if (pos === -1) posOfId.push(events.length);
        else {
          duplicates++;
          const kept = events[pos] as CustomerEvent;
          const keptIndex = inputIndex[pos] as number;
          if (compareEvents(event, kept) < 0) {
            rejected.push(duplicateOf(keptIndex, list[keptIndex], index, eventId));
            events[pos] = event;
            inputIndex[pos] = index;
          } else {
            rejected.push(duplicateOf(index, row, keptIndex, eventId));
          }
          continue;
        }
      }
      events.push(event);
      inputIndex.push(index);
    }
  }
  if (duplicates > 0) rejected.sort((a, b) => a.index - b.index);

  const byType = new Map<string, number>();
  let unknownTypes = 0;
  for (const e of events) {
    byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    if (!CANONICAL.has(e.type)) unknownTypes++;
  }
  const stats: ParseEventsStats = {
    received: list.length,
    accepted: events.length,
    rejected: rejected.length,
    duplicates,
    unknownTypes,
    byType,
  };
  if (options.strict) throwIfStrict('parseEvents', rejected, list.length, 'duplicate_event_id', 'rows');
  return { events, rejected, stats };
}

function duplicateOf(index: number, row: unknown, keptIndex: number, eventId: string): RejectedRow {
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
function addTypeRuleIssues(
  issues: RejectedRow['issues'],
  type: unknown,
  value: unknown,
  properties: unknown,
): void {
  if (typeof type !== 'string') return;
  if (!(value === undefined || (typeof value === 'number' && Number.isFinite(value)))) return;
  if (!(properties === undefined || isPlainObject(properties))) return;
  const seenPaths = new Set(issues.map((i) => i.path.join('.')));
  checkTypeRules({ type: type.trim(), value, properties }, (path, code, message) => {
    if (!seenPaths.has(path.join('.'))) issues.push({ path, code, message });
  });
}

let ruleBroken = false;
const noteBroken = (): void => {
  ruleBroken = true;
};
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

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
  if (!nonEmpty(customerId) || !nonEmpty(type)) return null;
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value))) return null;
  if (properties !== undefined && !isPlainObject(properties)) return null;
  if (eventId !== undefined && !nonEmpty(eventId)) return null;
  if (!(typeof ts === 'number' || typeof ts === 'string' || ts instanceof Date)) return null;
  const timestamp = toEpochMs(ts);
  if (timestamp === null) return null;
  const t = type.trim();
  ruleBroken = false;
  checkTypeRules(
    {
      type: t,
      value: value as number | undefined,
      properties: properties as Record<string, unknown> | undefined,
    },
    noteBroken,
  );
  if (ruleBroken) return null;
  return build({
    customerId: customerId.trim(),
    type: t,
    timestamp,
    value: value as number | undefined,
    properties: properties as Record<string, unknown> | undefined,
    eventId: eventId === undefined ? undefined : (eventId as string).trim(),
  });
}

function build(d: {
  customerId: string;
  type: string;
  timestamp: number;
  value?: number | undefined;
  properties?: Record<string, unknown> | undefined;
  eventId?: string | undefined;
}): CustomerEvent {
  const e: { -readonly [K in keyof CustomerEvent]: CustomerEvent[K] } = {
    customerId: d.customerId,
    type: d.type,
    timestamp: d.timestamp,
  };
  if (d.value !== undefined) e.value = d.value;
  if (d.properties !== undefined) e.properties = d.properties;
  if (d.eventId !== undefined) e.eventId = d.eventId;
  return e;
}
