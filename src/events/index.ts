/**
 * `customer-vitals/events`: the event model. Read raw exports into events and profiles with a
 * declarative mapping (derived fields, date formats, placeholder ids, order lines), in memory or as a
 * stream, with a rejection report by cause; propose a mapping for a new export; group events into
 * per-customer timelines.
 * @module
 */

export type { IssueCode, OptimizerState, ValidationIssue } from '../_lib/errors';
export {
  ConvergenceError,
  InsufficientDataError,
  ISSUE_CODES,
  ValidationError,
  VitalsError,
} from '../_lib/errors';
export type {
  DateFormatGuess,
  DateInput,
  DateShapes,
  TimestampOptions,
  TimestampReader,
  TimestampUnit,
} from '../_lib/time';
export { DEFAULT_TIMESTAMP_WINDOW, guessDateFormat } from '../_lib/time';
export type { AsOfOptions, ProfilesOptions, SeedOptions, VitalsWarning, WithWarnings } from '../types';
export type {
  AggregateOptions,
  ColumnReference,
  CompiledMapping,
  CompileMappingOptions,
  FieldGetter,
  FieldMapping,
  MappingExpression,
} from './compileMapping';
export { compileMapping, DEFAULT_PLACEHOLDER_IDS } from './compileMapping';
export { compareEvents, groupByCustomer } from './groupByCustomer';
export type { InferMappingOptions, InferMappingResult, InferMappingWarningCode } from './inferMapping';
export { inferMapping } from './inferMapping';
export type { NumberFormat, NumberReader } from './numberFormat';
export type { AcceptedEventSink, ParseEventStreamOptions } from './parseEventStream';
export { parseEventStream } from './parseEventStream';
export type {
  EventField,
  IssueSummary,
  ParseEventsOptions,
  ParseEventsResult,
  ParseEventsStats,
} from './parseEvents';
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
