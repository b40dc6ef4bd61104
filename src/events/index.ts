/**
 * `customer-vitals/events`: the event model. Validate raw rows into events and profiles, and group
 * events into per-customer timelines.
 * @module
 */

export type { OptimizerState, ValidationIssue } from '../_lib/errors';
export { ConvergenceError, InsufficientDataError, ValidationError, VitalsError } from '../_lib/errors';
export type { DateInput } from '../_lib/time';
export { compareEvents, groupByCustomer } from './groupByCustomer';
export type { FieldMapping } from './mapping';
export type { EventField, ParseEventsOptions, ParseEventsResult, ParseEventsStats } from './parseEvents';
export { parseEvents } from './parseEvents';
export type {
  ParseProfilesOptions,
  ParseProfilesResult,
  ParseProfilesStats,
  ProfileField,
} from './parseProfiles';
export { parseProfiles } from './parseProfiles';
export { EventSchema, ProfileSchema, TimestampSchema } from './schemas';
export type {
  CustomerEvent,
  CustomerProfile,
  CustomerTimeline,
  CustomerTimelines,
  EventInput,
  ProfileInput,
  RejectedRow,
} from './types';
export type { CanonicalEventType, EventTypeSpec } from './vocabulary';
export { ACTIVITY_TYPES, EVENT_TYPES, EVENT_VOCABULARY, SURVEY_RANGES } from './vocabulary';
