/** Helpers shared by the analysis commands. */
import type { CustomerEvent, CustomerProfile } from '../../events/types';
import { ACTIVITY_TYPES } from '../../events/vocabulary';
import type { EventStore } from '../../store/EventStore';
import { storeRange } from '../../store/storeEvents';
import type { VitalsWarning } from '../../types';
import type { Context } from '../context';

/** Input of an analysis command: the accepted events as a compact store. */
export interface AnalysisInput {
  ctx: Context;
  store: EventStore;
  profiles: CustomerProfile[];
  asOf: number;
}

/**
 * The events the `metrics` command reads, as objects: every row except product activity (`login`,
 * `session`, `feature_used`: read by the engagement metrics only, which the command does not
 * compute), plus the rows that keep what the metrics derive from all events unchanged: each
 * customer's first event (first-seen times), one event of each type (the sources present) and the
 * earliest and latest events (the data's span). On SaaS data activity is most of the rows.
 */
export function metricsEvents(store: EventStore): CustomerEvent[] {
  const n = store.length;
  const keep = new Uint8Array(n);
  const code = store.typeCode;
  const activity = store.types.map((t) => ACTIVITY_TYPES.has(t));
  const typeSeen = new Uint8Array(store.types.length);
  let min = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const k = code[i] as number;
    if (!activity[k]) keep[i] = 1;
    else if (typeSeen[k] === 0) keep[i] = 1;
    typeSeen[k] = 1;
    if ((store.time[i] as number) < (store.time[min] as number)) min = i;
    if ((store.time[i] as number) > (store.time[max] as number)) max = i;
  }
  for (let c = 0; c + 1 < store.offsets.length; c++) {
    const first = store.offsets[c] as number;
    if (first < (store.offsets[c + 1] as number)) keep[first] = 1;
  }
  if (n > 0) {
    keep[min] = 1;
    keep[max] = 1;
  }
  return rowsOf(store, keep);
}

/** The rows marked in `keep` as event objects, in store order (runs materialised at once). */
function rowsOf(store: EventStore, keep: Uint8Array): CustomerEvent[] {
  const out: CustomerEvent[] = [];
  let i = 0;
  while (i < store.length) {
    if (keep[i] !== 1) {
      i++;
      continue;
    }
    // A run of kept rows is materialised in one call (sparse columns read with a cursor).
    let j = i + 1;
    while (j < store.length && keep[j] === 1) j++;
    for (const e of storeRange(store, i, j)) out.push(e);
    i = j;
  }
  return out;
}

/** A number rounded to `d` decimals, or null. */
export const fixed = (v: number | null | undefined, d = 1): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? Number(v.toFixed(d)) : null;

/** The UTC date of an instant (see `isoDay` in _lib/time). */
export { isoDay } from '../../_lib/time';

/** Warnings from a result, whatever their shape (`{ code, message }` or plain sentences). */
export function toWarnings(value: unknown): VitalsWarning[] {
  if (!Array.isArray(value)) return [];
  const out: VitalsWarning[] = [];
  for (const w of value) {
    if (typeof w === 'string') out.push({ code: 'warning', message: w });
    else if (w && typeof w === 'object' && typeof (w as VitalsWarning).message === 'string') {
      const code = (w as VitalsWarning).code;
      out.push({ code: typeof code === 'string' ? code : 'warning', message: (w as VitalsWarning).message });
    }
  }
  return out;
}

/** Warnings carried by a result object (`result.warnings`), deduplicated by code and message. */
export function warningsOf(...values: unknown[]): VitalsWarning[] {
  const seen = new Set<string>();
  const out: VitalsWarning[] = [];
  for (const v of values) {
    const list = v && typeof v === 'object' ? toWarnings((v as { warnings?: unknown }).warnings) : [];
    for (const w of list) {
      const key = `${w.code}\u0000${w.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(w);
      }
    }
  }
  return out;
}
