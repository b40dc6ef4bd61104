import { checkOptions, ValidationError } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import type { EventInput } from '../events/types';
import { checkModules, DATA_USED, type PrivacyModule } from './dataUsed';

const FN = 'minimise';

/** Options of {@link minimise}. */
export interface MinimiseOptions {
  /** The modules the data is for: only what they read is kept. Required. */
  for: readonly PrivacyModule[];
  /** Extra `properties` keys to keep (those a custom scorecard or rule reads). @default [] */
  keepProperties?: readonly string[];
  /** Extra event types to keep. @default [] */
  keepTypes?: readonly string[];
}

/** Result of {@link minimise}. */
export interface MinimiseResult<E> {
  events: E[];
  /** Events dropped because no listed module reads their type. */
  droppedEvents: number;
  /** Fields and properties removed from kept events (sorted paths). */
  droppedFields: string[];
  /** What the kept data holds (sorted paths). */
  kept: string[];
}

/**
 * Data minimisation: keeps only the events and fields the listed modules read (GDPR art. 5(1)(c)),
 * so an export shared with an analyst, a vendor or a notebook holds no more than the analysis needs:
 * events of types no module reads are dropped, and from kept events every top-level field and
 * `properties` key no module reads (emails, names, free text unless `sentiment` is listed) is removed.
 * Input events are not modified; kept events are shallow copies.
 *
 * Missing-data policy: events that are not records are rejected with their index; events without
 * `properties` stay without.
 *
 * @param events raw or parsed events.
 * @param options `for` (required), `keepProperties`, `keepTypes`.
 * @returns the minimised events and what was dropped.
 * @throws ValidationError for bad options (unknown module with "did you mean") or non-record events.
 * @example
 * ```ts
 * const r = minimise(
 *   [{ customerId: 'a', type: 'purchase', timestamp: 1, value: 20, properties: { email: 'x@y.z' } },
 *    { customerId: 'a', type: 'login', timestamp: 2, properties: { userId: 'u1' } }],
 *   { for: ['clv'] },
 * );
 * r.events; // => [{ customerId: 'a', type: 'purchase', timestamp: 1, value: 20 }]
 * r.droppedFields; // => ['properties.email']
 * ```
 */
export function minimise<E extends EventInput | Readonly<EventInput>>(
  events: readonly E[],
  options: MinimiseOptions,
): MinimiseResult<E> {
  checkOptions(FN, options, ['for', 'keepProperties', 'keepTypes']);
  const modules = checkModules(FN, options?.for, 'for');
  for (const k of ['keepProperties', 'keepTypes'] as const) {
    const v = options[k];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string')))
      throw new ValidationError(FN, [
        { path: [k], code: 'invalid_type', message: `option "${k}" must be an array of strings` },
      ]);
  }
  if (!Array.isArray(events))
    throw new ValidationError(FN, [{ path: [], code: 'not_an_array', message: 'events must be an array' }]);
  // eventId is not personal and lets parseEvents drop re-delivered events.
  const fields = new Set<string>(['customerId', 'type', 'timestamp', 'eventId']);
  const props = new Set<string>(options.keepProperties ?? []);
  let allTypes = false;
  const types = new Set<string>(options.keepTypes ?? []);
  for (const m of modules) {
    const d = DATA_USED[m];
    for (const f of d.fields) fields.add(f);
    for (const p of d.properties) props.add(p);
    if (d.types === '*') allTypes = true;
    else for (const t of d.types) types.add(t);
  }
  const out: E[] = [];
  const droppedFields = new Set<string>();
  let droppedEvents = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as unknown;
    if (!isPlainObject(e))
      throw new ValidationError(
        FN,
        [{ index: i, path: [], code: 'not_plain_object', message: 'an event must be a record' }],
        'events',
      );
    if (!allTypes && !types.has(e.type as string)) {
      droppedEvents++;
      continue;
    }
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) {
      if (k === 'properties') continue;
      if (fields.has(k)) copy[k] = v;
      else droppedFields.add(k);
    }
    if (isPlainObject(e.properties)) {
      const kept: Record<string, unknown> = {};
      let any = false;
      for (const [k, v] of Object.entries(e.properties)) {
        if (props.has(k)) {
          Object.defineProperty(kept, k, { value: v, enumerable: true, writable: true, configurable: true });
          any = true;
        } else droppedFields.add(`properties.${k}`);
      }
      if (any) copy.properties = kept;
    }
    out.push(copy as E);
  }
  const kept = [...fields, ...[...props].map((p) => `properties.${p}`)].sort();
  return { events: out, droppedEvents, droppedFields: [...droppedFields].sort(), kept };
}
