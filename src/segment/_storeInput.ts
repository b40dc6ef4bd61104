/**
 * Private: how the segment, actions, onboarding, acquisition and health-history functions take an
 * {@link EventStore} (#13): the door check (the clv reader's `requireStoreColumns` plus the property
 * columns) and a property reader that works on the store's dictionary columns, so no event object
 * is built per row.
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { CodeCursor } from '../churn/_storeFeatures';
import { requireStoreColumns } from '../clv/_storeRevenue';
import { type EventStore, isEventStore, STORE_PROPERTIES, type StoreProperty } from '../store/EventStore';

/**
 * True when `input` is an {@link EventStore}, after checking it at the door: the typed columns with
 * consistent lengths (clv's `requireStoreColumns`) and the property columns (codes and rows as
 * Int32Arrays of one length, dense codes one per row, a values array). An object that only says
 * `kind: 'event-store'` is a located `ValidationError` naming `fn`, not a TypeError deep inside.
 */
export function isCheckedStore(fn: string, input: unknown): input is EventStore {
  if (!isEventStore(input)) return false;
  requireStoreColumns(fn, input);
  const props = (input as { props?: unknown }).props;
  let problem: string | null =
    props === null || typeof props !== 'object' ? '"props" must hold the property columns' : null;
  for (let k = 0; problem === null && k < STORE_PROPERTIES.length; k++) {
    const name = STORE_PROPERTIES[k] as StoreProperty;
    const col = (props as Record<string, unknown>)[name] as
      | { codes?: unknown; rows?: unknown; values?: unknown }
      | undefined;
    if (col === null || typeof col !== 'object') problem = `"props.${name}" is missing`;
    else if (!Array.isArray(col.values)) problem = `"props.${name}.values" must be an array`;
    else if (col.codes !== null && !(col.codes instanceof Int32Array))
      problem = `"props.${name}.codes" must be an Int32Array or null`;
    else if (col.rows !== null && !(col.rows instanceof Int32Array))
      problem = `"props.${name}.rows" must be an Int32Array or null`;
    else if (col.codes instanceof Int32Array && col.rows instanceof Int32Array)
      problem =
        col.rows.length === col.codes.length ? null : `"props.${name}" rows and codes differ in length`;
    else if (col.codes instanceof Int32Array && col.codes.length !== input.length)
      problem = `"props.${name}.codes" must hold one code per row`;
  }
  if (problem === null && input.extra !== undefined && !Array.isArray(input.extra))
    problem = '"extra" must be an array or undefined';
  if (problem !== null)
    throw new ValidationError(fn, [
      {
        path: ['events'],
        code: 'invalid_type',
        message: `not an EventStore (from toEventStore or EventStoreBuilder): ${problem}`,
      },
    ]);
  return true;
}

/**
 * Reads one property (`properties[name]`) of store rows asked in ascending order, as the event
 * paths read `e.properties?.[name]` (an own property; `undefined` when absent). A property the store
 * holds as a column ({@link STORE_PROPERTIES}) is read through its dictionary codes; any other from
 * the rows' kept properties (`keepProperties: true`). A store built without them cannot answer: a
 * located `ValidationError` saying so, rather than a silently different result.
 */
export class StorePropReader {
  private readonly cursor: CodeCursor | null;
  private readonly values: readonly unknown[];
  private readonly extra: readonly (Readonly<Record<string, unknown>> | undefined)[] | undefined;
  /** Dictionary code of the last row read (-1: absent; -2: not a column property). */
  code = -1;

  constructor(
    fn: string,
    store: EventStore,
    private readonly name: string,
  ) {
    if ((STORE_PROPERTIES as readonly string[]).includes(name)) {
      const col = store.props[name as StoreProperty];
      this.cursor = new CodeCursor(col);
      this.values = col.values;
      this.extra = undefined;
      return;
    }
    this.cursor = null;
    this.values = [];
    if (store.extra === undefined)
      throw new ValidationError(fn, [
        {
          path: ['events'],
          code: 'invalid_value',
          message: `reads properties.${name}, which this EventStore does not hold (it keeps only ${STORE_PROPERTIES.join(', ')}): build it with toEventStore(events, { keepProperties: true })`,
        },
      ]);
    this.extra = store.extra;
  }

  /** True when the property is a dictionary column (its codes identify equal values). */
  get isColumn(): boolean {
    return this.cursor !== null;
  }

  /** The property of row `i` (rows in ascending order), `undefined` when the event has none. */
  at(i: number): unknown {
    const cursor = this.cursor;
    if (cursor !== null) {
      const c = cursor.at(i);
      this.code = c;
      return c === -1 ? undefined : this.values[c];
    }
    this.code = -2;
    const x = (this.extra as readonly (Readonly<Record<string, unknown>> | undefined)[])[i];
    return x !== undefined && Object.hasOwn(x, this.name) ? x[this.name] : undefined;
  }
}

/** Per type code of the store: 1 where the type is in `types`. */
export function typeMask(store: EventStore, types: Iterable<string>): Uint8Array {
  const want = new Set(types);
  const out = new Uint8Array(store.types.length);
  for (let k = 0; k < store.types.length; k++) if (want.has(store.types[k] as string)) out[k] = 1;
  return out;
}
