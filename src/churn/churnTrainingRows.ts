import { checkOptions, InsufficientDataError, optionError } from '../_lib/errors';
import { isoDay, MS_PER_DAY, requireEpochMs } from '../_lib/time';
import type { CustomerProfile } from '../events/types';
import { isEventStore } from '../store/EventStore';
import type { AsOfOptions } from '../types';
import { requireOptions } from './_args';
import { buildChurnDataset } from './buildChurnDataset';
import { type ChurnHorizon, horizonStart } from './horizonEnd';
import { type ChurnSource, type EventsOrTimelines, toChurnSource } from './toTimelines';
import type { ChurnRow } from './types';

/** Options of {@link churnTrainingRows}. */
export interface ChurnTrainingRowsOptions extends AsOfOptions {
  /** The prediction instant; training snapshots lie before it. Required. */
  asOf: AsOfOptions['asOf'];
  /** Prediction horizon: days, or `{ days, weeks, months }`. @default 30 */
  horizon?: ChurnHorizon;
  /** Training snapshots, at `asOf − h`, `asOf − 2h`, … @default 3 */
  windows?: number;
  /** Profiles for the features. @default [] */
  profiles?: readonly CustomerProfile[];
}

/** Result of {@link churnTrainingRows}. */
export interface ChurnTrainingRows {
  /** Labelled rows of every snapshot, oldest snapshot last. */
  rows: ChurnRow[];
  /** The snapshot instants (epoch ms), newest first. */
  snapshots: number[];
  positives: number;
}

const FN = 'churnTrainingRows';
const OPTION_KEYS = ['asOf', 'horizon', 'windows', 'profiles'] as const;

/**
 * Labelled training rows for a churn model that predicts at `asOf`: one `buildChurnDataset` per
 * earlier snapshot `asOf − k·h` (k = 1..windows), so every training label is observed by `asOf`
 * (the label window of the newest snapshot ends exactly at asOf). What the CLI's `churn` command
 * trains on.
 *
 * When no row (or one class only) comes out, the error says why in terms of the data: how many
 * days the events span, how many the horizon and windows need, and the longest whole-day horizon
 * that fits (`span / (windows + 1)`: one horizon of history before the oldest snapshot).
 *
 * Missing-data policy: snapshots with no labelled customer add no rows.
 *
 * @param events validated events, timelines, or an `EventStore` (read as columns, no event object).
 * @param options asOf (required), horizon, windows, profiles.
 * @returns the rows, the snapshot instants and the number of churners.
 * @throws ValidationError on bad options; InsufficientDataError when the rows cannot train a model.
 * @example
 * ```ts
 * const { events } = generateSaasEvents({ customers: 50, start: '2024-01-01', end: '2025-01-01' });
 * const { rows, snapshots } = churnTrainingRows(events, { asOf: '2025-01-01', horizon: 30 });
 * snapshots.length; // => 3
 * ```
 */
export function churnTrainingRows(
  events: EventsOrTimelines,
  options: ChurnTrainingRowsOptions,
): ChurnTrainingRows {
  requireOptions(FN, options);
  checkOptions(FN, options, OPTION_KEYS);
  const asOf = requireEpochMs(options?.asOf, FN, 'asOf');
  const horizon = options.horizon ?? 30;
  const windows = options.windows ?? 3;
  if (!Number.isInteger(windows) || windows < 1 || windows > 100)
    throw optionError(FN, 'windows', 'must be an integer from 1 to 100');
  const source = toChurnSource(events, FN);
  const rows: ChurnRow[] = [];
  const snapshots: number[] = [];
  let at = asOf;
  for (let k = 1; k <= windows; k++) {
    const s = horizonStart(at, horizon);
    if (s === null)
      throw optionError(FN, 'horizon', 'must be a positive length (days or { days, weeks, months })');
    at = s;
    snapshots.push(at);
    rows.push(...buildChurnDataset(source, { asOf: at, horizon, profiles: options.profiles ?? [] }).rows);
  }
  let positives = 0;
  for (const r of rows) if (r.churned) positives++;
  if (rows.length === 0 || positives === 0 || positives === rows.length) {
    throw new InsufficientDataError(FN, advice(source, asOf, at, horizon, windows, rows.length, positives), {
      available: rows.length === 0 ? 0 : Math.min(positives, rows.length - positives),
      required: rows.length === 0 ? 2 : 1,
    });
  }
  return { rows, snapshots, positives };
}

/** Why there is nothing to train on, and what would work. */
function advice(
  source: ChurnSource,
  asOf: number,
  oldest: number,
  horizon: ChurnHorizon,
  windows: number,
  n: number,
  positives: number,
): string {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  if (isEventStore(source)) {
    const time = source.time;
    for (let i = 0; i < source.length; i++) {
      const t = time[i] as number;
      if (t < first) first = t;
      if (t > last && t <= asOf) last = t;
    }
  } else {
    for (const tl of source.values()) {
      for (const e of tl.events) {
        if (e.timestamp < first) first = e.timestamp;
        if (e.timestamp > last && e.timestamp <= asOf) last = e.timestamp;
      }
    }
  }
  const what =
    n === 0 ? 'no training rows' : `training rows hold one class only (${positives} churned of ${n})`;
  if (!Number.isFinite(first) || first > asOf) return `${what}: no event at or before asOf ${isoDay(asOf)}`;
  const spanDays = Math.max(0, Math.ceil((asOf - first) / MS_PER_DAY));
  const needDays = Math.ceil((asOf - oldest) / MS_PER_DAY);
  const h = typeof horizon === 'number' ? `${horizon}-day horizon` : 'horizon';
  const fit = Math.floor(spanDays / (windows + 1));
  const tryThis =
    fit >= 1
      ? `a horizon of ${fit} days fits (horizon: ${fit}; CLI --horizon ${fit})`
      : 'no whole-day horizon fits';
  return (
    `${what}: the events span ${spanDays} days (${isoDay(first)} to ${isoDay(Math.min(last, asOf))}), but a ${h} with ` +
    `${windows} training windows needs customers active at ${isoDay(oldest)}, ${needDays} days before asOf ${isoDay(asOf)}, ` +
    `and a history before that; ${tryThis}, or move asOf later or load a longer history`
  );
}
