/**
 * customer-vitals: customer-success answers from plain arrays of customer events.
 * Every public export of every module, by name. Subpath exports: `customer-vitals/events`,
 * `/metrics`, `/health`, `/churn`, `/clv`, `/segment`, `/sample`.
 * @module
 */

export type {
  CanonicalEventType,
  CustomerEvent,
  CustomerProfile,
  CustomerTimeline,
  CustomerTimelines,
  DateInput,
  EventField,
  EventInput,
  EventTypeSpec,
  FieldMapping,
  OptimizerState,
  ParseEventsOptions,
  ParseEventsResult,
  ParseEventsStats,
  ParseProfilesOptions,
  ParseProfilesResult,
  ParseProfilesStats,
  ProfileField,
  ProfileInput,
  RejectedRow,
  ValidationIssue,
} from './events/index';
// events
export {
  ACTIVITY_TYPES,
  ConvergenceError,
  compareEvents,
  EVENT_TYPES,
  EVENT_VOCABULARY,
  EventSchema,
  groupByCustomer,
  InsufficientDataError,
  ProfileSchema,
  parseEvents,
  parseProfiles,
  SURVEY_RANGES,
  TimestampSchema,
  ValidationError,
  VitalsError,
} from './events/index';
export type {
  RetailParams,
  RetailSample,
  RetailSampleOptions,
  RetailTruth,
  SaasSample,
  SaasSampleOptions,
  SaasTruth,
} from './sample/index';
// sample
export { DEFAULT_RETAIL_PARAMS, generateRetailTransactions, generateSaasEvents } from './sample/index';
