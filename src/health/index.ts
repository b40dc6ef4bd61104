/**
 * customer-vitals/health: explained, predictive health scores with true history.
 * @module
 */
export { applyCurve } from './applyCurve';
export type { CustomSignals } from './compileScorecard';
export type { ComputeSignalsOptions } from './computeSignals';
export { computeSignals } from './computeSignals';
export { defaultScorecard } from './defaultScorecard';
export type { BandOutcome, EvaluateHealthOptions, HealthEvaluation } from './evaluateHealth';
export { evaluateHealth } from './evaluateHealth';
export type { HealthChange, MeasureChange } from './explainChange';
export { explainChange } from './explainChange';
export type { HealthAlert, HealthAlertRules, MeasureAlertRule } from './healthAlerts';
export { healthAlerts } from './healthAlerts';
export type {
  CustomerHealthHistory,
  HealthHistoryList,
  HealthHistoryOptions,
  HealthHistoryPoint,
} from './healthHistory';
export { healthHistory } from './healthHistory';
export type { CustomSignal, HealthSignalSpec, SignalContext, SignalFn } from './healthSignals';
export { HEALTH_SIGNALS } from './healthSignals';
export type {
  AppliedOverride,
  GroupScore,
  HealthDriver,
  HealthExplanation,
  HealthScore,
  HealthScoreList,
  HealthWarning,
  HealthWarningCode,
  MeasureScore,
  MeasureStatus,
} from './healthTypes';
export { INSUFFICIENT_DATA } from './healthTypes';
export type { ParseScorecardOptions } from './parseScorecard';
export { parseScorecard } from './parseScorecard';
export { purchaseScorecard } from './purchaseScorecard';
export type { AccountHealth, RollupChild, RollupHealthOptions } from './rollupHealth';
export { rollupHealth } from './rollupHealth';
export type {
  HealthBand,
  HealthCurve,
  HealthGroup,
  HealthMeasure,
  HealthOverride,
  ProfileCondition,
  Scorecard,
  ScorecardSet,
} from './scorecardSchema';
export {
  BandSchema,
  ConditionSchema,
  CurveSchema,
  DEFAULT_BANDS,
  GroupSchema,
  MeasureSchema,
  OverrideSchema,
  ScorecardSchema,
  ScorecardSetSchema,
} from './scorecardSchema';
export type { ScoreHealthOptions } from './scoreHealth';
export { scoreHealth } from './scoreHealth';
export type { SuggestedWeight, SuggestWeightsOptions, WeightSuggestion } from './suggestWeights';
export { suggestWeights } from './suggestWeights';
