/**
 * Option mixins and result shapes shared by every module, in one place (as date-fns does in its
 * `types.ts`). Every options interface that takes one of these concepts extends the mixin, so the
 * option means the same thing everywhere.
 * @module
 */

import type { DateInput } from './_lib/time';

export type { DateInput };

/**
 * `asOf`: the instant the analysis is made "as of". One meaning everywhere: an event stamped
 * **exactly at `asOf` has happened** and counts (`timestamp <= asOf`); anything later is ignored.
 * Inclusive because `asOf` is usually "the moment of the export" and an event recorded at that
 * moment is in the export; lifetimes' `observation_period_end` includes its end day the same way.
 * Periods inside an analysis (windows such as "the last 30 days") are half-open `(asOf − 30d, asOf]`.
 */
export interface AsOfOptions {
  /** The instant of the analysis (Date, ISO 8601 string or epoch ms); events at it count. */
  asOf?: DateInput;
}

/** `seed`: every random choice (sampling, splits, initialisation) is drawn from this seed. */
export interface SeedOptions {
  /** Seed of the pseudo-random stream; same seed, same result. @default 1 */
  seed?: number | string;
}

/** `profiles`: per-customer attributes (plan, segment, signup date, ...), as an array or a Map. */
export interface ProfilesOptions<P = unknown> {
  /** Customer profiles: an array of records with `customerId`, or a Map keyed by customer id. */
  profiles?: readonly P[] | ReadonlyMap<string, P>;
}

/**
 * A warning on a result: the data could not fully support the answer. `code` is stable and
 * machine-readable (each function documents its codes); `message` is a sentence a person can act on.
 * @example
 * ```ts
 * const w: VitalsWarning = { code: 'low_coverage', message: 'Only 15% of the scorecard could be measured.' };
 * ```
 */
export interface VitalsWarning<C extends string = string> {
  code: C;
  message: string;
}

/** A result that can be degraded carries `warnings` (empty when all is well). */
export interface WithWarnings<C extends string = string> {
  warnings: VitalsWarning<C>[];
}
