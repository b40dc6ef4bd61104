/**
 * What the sections of `buildReportData` share: the report's input (the events up to the report
 * date and the options, read by every section), the state some sections leave for later ones, and
 * the small helpers that make a section present or absent.
 */
import { VitalsError } from '../_lib/errors';
import type { featureRows } from '../churn/featureRows';
import type { CustomerEvent, CustomerProfile, CustomerTimelines } from '../events/types';
import type { EventIndex } from '../metrics/indexEvents';
import type { EventStore } from '../store/EventStore';
import type { VitalsWarning } from '../types';
import type { ReportHistory } from './_storeReport';
import type { Section } from './types';

/** The public function the sections' errors name. */
export const FN = 'buildReportData';
/** Mean days per month (365.2425 / 12). */
export const DAYS_PER_MONTH = 30.436875;
/** History step: 30 days, so the last date is exactly `asOf`. */
export const HISTORY_STEP_DAYS = 30;

/** The report's input, as every section reads it. */
export interface ReportInput {
  asOf: number;
  /** Earliest event of all the data (not only up to `asOf`); +Infinity without events. */
  earliest: number;
  horizonDays: number;
  listSize: number;
  profiles: CustomerProfile[];
  /** Customers with an event on or before `asOf`. */
  ids: readonly string[];
  /** Over a store: its rows up to `asOf`; else undefined. */
  window: EventStore | undefined;
  /** Over an array: its events up to `asOf`; else undefined. */
  inWindow: CustomerEvent[] | undefined;
  /** Over an array: the timelines of `inWindow`; else undefined. */
  timelines: CustomerTimelines | undefined;
  churnInput: EventStore | CustomerTimelines;
  index: EventIndex;
  /** What CLV reads: the store's rows or the events, up to `asOf`. */
  orders: EventStore | CustomerEvent[];
  windowCount: number;
  historyDates: number[];
  has: (...t: string[]) => boolean;
  hasSubscriptions: boolean;
  hasPurchases: boolean;
  /** Churn features at `asOf`, computed once for the churn scores and the clusters. */
  featuresNow: () => ReturnType<typeof featureRows>;
}

/** What sections leave for later ones (and the customer table), with the report's warnings. */
export interface ReportState {
  histories: ReportHistory[];
  churnNow: Map<string, number>;
  clvById: Map<string, number>;
  segmentById: Map<string, string>;
  warnings: VitalsWarning[];
}

/** A section left out, with the reason in a sentence. */
export const absent = <T>(reason: string): Section<T> => ({ available: false, reason });
/** A section with its data. */
export const present = <T>(data: T): Section<T> => ({ available: true, data });
/** `v` rounded to `d` decimals. */
export const round = (v: number, d: number) => {
  const f = 10 ** d;
  return Math.round(v * f) / f;
};

/** Runs `f`; a VitalsError (insufficient or unusable data) becomes the section's reason. */
export function attempt<T>(what: string, f: () => Section<T>): Section<T> {
  try {
    return f();
  } catch (e) {
    if (e instanceof VitalsError) return absent(`${what} could not be computed: ${e.message}`);
    throw e;
  }
}

/** `v` with thousands separators and exactly `d` decimals (en-US). */
export const fmt = (v: number, d = 0) =>
  v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
/** A share as a percentage with `d` decimals. */
export const pct = (v: number, d = 1) => `${fmt(100 * v, d)}%`;

/** Start of the UTC calendar month holding `t`. */
export function monthStart(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}
