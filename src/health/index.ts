/**
 * customer-vitals/health: explained, predictive health scores with true history.
 * @module
 */
export { applyCurve } from './applyCurve';
export type { CustomSignals } from './compileScorecard';
export { computeSignals } from './computeSignals';
export type { ComputeSignalsOptions } from './computeSignals';
export { defaultScorecard } from './defaultScorecard';
export { evaluateHealth } from './evaluateHealth';
export type { BandOutcome, EvaluateHealthOptions, HealthEvaluation } from './evaluateHealth';
export { explainChange } from './explainChange';
export type { HealthChange, MeasureChange } from './explainChange';
export { healthAlerts } from './healthAlerts';
export type { HealthAlert, HealthAlertRules, MeasureAlertRule } from './healthAlerts';
export { healthHistory } from './healthHistory';
export type { CustomerHealthHistory, HealthHistoryOptions, HealthHistoryPoint } from './healthHistory';
export { HEALTH_SIGNALS } from './healthSignals';
export type { CustomSignal, HealthSignalSpec, SignalContext, SignalFn } from './healthSignals';
export { parseScorecard } from './parseScorecard';
export type { ParseScorecardOptions } from './parseScorecard';
export { rocAuc } from './rocAuc';
export { rollupHealth } from './rollupHealth';
export type { AccountHealth, RollupChild, RollupHealthOptions } from './rollupHealth';
export type {
  AppliedOverride,
  GroupScore,
  HealthDriver,
  HealthExplanation,
  HealthScore,
  MeasureScore,
  MeasureStatus,
} from './scoreEngine';
export { scoreHealth } from './scoreHealth';
export type { ScoreHealthOptions } from './scoreHealth';
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
export { suggestWeights } from './suggestWeights';
export type { SuggestedWeight, SuggestWeightsOptions, WeightSuggestion } from './suggestWeights';
