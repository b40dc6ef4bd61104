/**
 * Types of the event model. Raw rows come in as {@link EventInput}; `parseEvents` turns them into
 * {@link CustomerEvent}s with epoch-ms timestamps, and `groupByCustomer` into {@link CustomerTimeline}s.
 * @module
 */

import type { IssueCode } from '../_lib/errors';
import type { DateInput } from '../_lib/time';

/** A customer event as users provide it (after field mapping). */
export interface EventInput {
  customerId: string;
  type: string;
  timestamp: DateInput;
  value?: number;
  properties?: Record<string, unknown>;
  eventId?: string;
}

/**
 * A validated, normalised event. `timestamp` is epoch milliseconds (UTC). `properties`, when present,
 * is the validated plain object from the input, passed by reference (read-only by convention).
 */
export interface CustomerEvent {
  readonly customerId: string;
  /** Canonical type after type mapping (see `EVENT_TYPES`); unknown types are kept as given. */
  readonly type: string;
  /** Epoch milliseconds, UTC. */
  readonly timestamp: number;
  readonly value?: number;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly eventId?: string;
}

/** An optional customer profile as users provide it. */
export interface ProfileInput {
  customerId: string;
  signupDate?: DateInput;
  plan?: string;
  mrr?: number;
  seats?: number;
  renewalDate?: DateInput;
  parentId?: string;
  attributes?: Record<string, string | number | boolean>;
}

/** A validated profile; dates are epoch milliseconds (UTC), attributes a null-prototype object. */
export interface CustomerProfile {
  readonly customerId: string;
  readonly signupDate?: number;
  readonly plan?: string;
  readonly mrr?: number;
  readonly seats?: number;
  readonly renewalDate?: number;
  readonly parentId?: string;
  readonly attributes?: Readonly<Record<string, string | number | boolean>>;
}

/** One customer's events, sorted by time, with fast access by type. */
export interface CustomerTimeline {
  readonly customerId: string;
  /** All events, sorted by timestamp (ties broken deterministically, independent of input order). */
  readonly events: readonly CustomerEvent[];
  /** Events of each type, each list sorted like `events`. Missing types are absent (use `ofType`). */
  readonly byType: ReadonlyMap<string, readonly CustomerEvent[]>;
  /** Timestamp of the first and last event (epoch ms). */
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  /** Events of one type (empty array when there are none). */
  ofType(type: string): readonly CustomerEvent[];
}

/** Customer timelines keyed by customer id, iterated in ascending customer-id order. */
export type CustomerTimelines = ReadonlyMap<string, CustomerTimeline>;

/** A row that failed validation, with every problem found in it. */
export interface RejectedRow {
  /** Position of the row in the input array. */
  index: number;
  /** The row as received (not copied). */
  row: unknown;
  issues: { path: (string | number)[]; code: IssueCode; message: string }[];
}
