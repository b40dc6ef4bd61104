/**
 * Builders for hand-made `CustomerEvent`s and timelines, shared by the tests (epoch ms, UTC).
 * Module-specific scenarios stay next to their tests (`test/metrics/_fixtures.ts`,
 * `test/health/_helpers.ts`); only the generic pieces live here.
 */
import type { CustomerEvent } from '../../src/events/types';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const WEEK = 7 * DAY;

/** Epoch ms of an ISO instant; a bare date (`2025-01-31`) is read as UTC midnight. Throws on a bad date. */
export function at(iso: string): number {
  const t = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (!Number.isFinite(t)) throw new Error(`bad test date ${iso}`);
  return t;
}

/** Like {@link at}, but a bare date is read as 12:00 UTC (so a midnight `asOf` is half a day away). */
export function noon(iso: string): number {
  return iso.length === 10 ? at(`${iso}T12:00:00Z`) : at(iso);
}

/** The instant `days` days (fractions allowed, rounded to the millisecond) before `asOf`. */
export function daysBefore(asOf: number, days: number): number {
  return asOf - Math.round(days * DAY);
}

/**
 * A hand-built validated event, shaped like `parseEvents` output: `value` and `properties` only when
 * given, `properties` copied into a null-prototype object.
 * @param when epoch ms, or an ISO string read by {@link at} (bare date = UTC midnight)
 */
export function ev(
  customerId: string,
  type: string,
  when: string | number,
  value?: number,
  properties?: Record<string, unknown>,
): CustomerEvent {
  const e: {
    customerId: string;
    type: string;
    timestamp: number;
    value?: number;
    properties?: Record<string, unknown>;
  } = { customerId, type, timestamp: typeof when === 'number' ? when : at(when) };
  if (value !== undefined) e.value = value;
  if (properties !== undefined) {
    const p = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(properties)) p[k] = properties[k];
    e.properties = p;
  }
  return e;
}

/** {@link ev} with bare dates read as 12:00 UTC ({@link noon}). */
export const evNoon: typeof ev = (customerId, type, when, value, properties) =>
  ev(customerId, type, typeof when === 'number' ? when : noon(when), value, properties);

/**
 * A copy of `items` in a seeded pseudo-random order (Fisher–Yates driven by a 32-bit LCG), so a
 * failing property run replays the same permutation.
 */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
