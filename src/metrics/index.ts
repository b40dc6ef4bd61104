/**
 * customer-vitals/metrics: customer-success KPIs from event arrays or an `EventStore` (read from its
 * typed columns), with sample sizes, confidence intervals and explicit missing-data reasons.
 *
 * - Survey: `nps`, `csat`, `ces` on plain scores (`surveyScores` pulls them from events).
 * - Support: `supportMetrics`, `supportSeries`.
 * - Revenue and retention: `mrrMovements`, `revenueRetention`, `logoRetention`, `cohortRetention`,
 *   `transactionalMetrics`.
 * - Engagement: `activeCustomers`, `stickiness`, `licenseUtilization`, `featureAdoption`.
 * - Time series: stateful metrics take `{ from, to, period, timeZone }` and return
 *   `{ periodStart, periodEnd, value, n }[]`; `periodSeries` runs any windowed metric by period.
 * - Speed: pass `indexEvents(events)` (or `indexEvents(store)`) instead of the array to share passes
 *   between metrics.
 *
 * Units: shares and rates are fractions (0.85); NPS is −100..100; money is in the unit of the event
 * values; durations are hours. Results never depend on the machine's time zone.
 * @module
 */

export type { Period, WeekStart } from '../_lib/period';
export type { DataSource } from '../_lib/sources';
export { type ActiveCustomersOptions, type ActiveCustomersPoint, activeCustomers } from './activeCustomers';
export { type CesOptions, type CesResult, ces } from './ces';
export {
  type ChooseMetricsOptions,
  chooseMetrics,
  type MetricChoice,
  type MetricFamily,
  type MetricsWarningCode,
} from './chooseMetrics';
export {
  type CohortCell,
  type CohortRetentionOptions,
  type CohortRetentionResult,
  type CohortRow,
  cohortRetention,
} from './cohortRetention';
export { type CsatOptions, type CsatResult, csat } from './csat';
export {
  type FeatureAdoptionOptions,
  type FeatureAdoptionResult,
  type FeatureStat,
  featureAdoption,
} from './featureAdoption';
export { EventIndex, type EventsInput, indexEvents } from './indexEvents';
export {
  type LicenseUtilizationOptions,
  type LicenseUtilizationPoint,
  licenseUtilization,
} from './licenseUtilization';
export { type LogoRetentionPoint, logoRetention } from './logoRetention';
export { type MrrAmounts, type MrrMovementPoint, mrrMovements } from './mrrMovements';
export { type NpsResult, nps } from './nps';
export { type PeriodSeriesOptions, periodSeries, type ResultPoint } from './periodSeries';
export { type RevenueRetentionPoint, revenueRetention } from './revenueRetention';
export { type StickinessOptions, type StickinessPoint, stickiness } from './stickiness';
export {
  AVG_MONTH_MS,
  type RejectedTicketEvent,
  type SupportMetricsOptions,
  type SupportMetricsResult,
  supportMetrics,
} from './supportMetrics';
export { type SupportSeriesOptions, supportSeries } from './supportSeries';
export { type SurveyType, surveyScores } from './surveyScores';
export { type TransactionalMetricsResult, transactionalMetrics } from './transactionalMetrics';
export type {
  ConfidenceInterval,
  DurationStats,
  MetricResult,
  RangeOptions,
  SeriesOptions,
  SeriesPoint,
} from './types';
