/** Helpers shared by the analysis commands. */
import type { CustomerEvent, CustomerProfile } from '../../events/types';
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
 * The store's events of the given types as event objects (store order: customer id, then event
 * order). For modules that take arrays but read only some types (RFM and CLV read purchases and
 * refunds): only those rows are materialised.
 */
export function eventsOfTypes(store: EventStore, types: readonly string[]): CustomerEvent[] {
  const wanted = new Uint8Array(store.types.length);
  store.types.forEach((t, k) => {
    if (types.includes(t)) wanted[k] = 1;
  });
  const out: CustomerEvent[] = [];
  const code = store.typeCode;
  let i = 0;
  while (i < store.length) {
    if (wanted[code[i] as number] !== 1) {
      i++;
      continue;
    }
    // A run of wanted rows is materialised in one call (sparse columns read with a cursor).
    let j = i + 1;
    while (j < store.length && wanted[code[j] as number] === 1) j++;
    for (const e of storeRange(store, i, j)) out.push(e);
    i = j;
  }
  return out;
}

/** A number rounded to `d` decimals, or null. */
export const fixed = (v: number | null | undefined, d = 1): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? Number(v.toFixed(d)) : null;

/** The UTC date of an instant. */
export function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

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
