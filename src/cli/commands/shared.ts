/** Helpers shared by the analysis commands. */
import type { CustomerEvent, CustomerProfile } from '../../events/types';
import type { VitalsWarning } from '../../types';
import type { Context } from '../context';

/** Input of an analysis command. */
export interface AnalysisInput {
  ctx: Context;
  events: CustomerEvent[];
  profiles: CustomerProfile[];
  asOf: number;
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
