/**
 * `customer-vitals/churn`: leak-free churn features and labels, logistic regression (matching
 * scikit-learn) and a histogram gradient-boosted tree ensemble, per-customer reasons, honest
 * evaluation (time-based backtests, stratified k-fold) and Kaplan–Meier retention curves.
 * @module
 */

export type { EncodingNotes } from './_fitEncoder';
export type { BacktestOptions, BacktestResult } from './backtest';
export { backtest } from './backtest';
export type { BuildChurnDatasetOptions, ChurnDataset } from './buildChurnDataset';
export { buildChurnDataset } from './buildChurnDataset';
export type {
  ChurnModelJSON,
  ChurnModelState,
  FlatTreeJSON,
  LogisticParams,
  PredictOptions,
  TreeParams,
} from './ChurnModel';
export { ChurnModel } from './ChurnModel';
export type { ChurnFeaturesOptions, ChurnFeatureTable } from './churnFeatures';
export { CHURN_FEATURES, churnFeatures } from './churnFeatures';
export type { ChurnDefinition, ChurnLabels, ChurnLabelsOptions } from './churnLabels';
export { churnLabels } from './churnLabels';
export type { ChurnTrainingRows, ChurnTrainingRowsOptions } from './churnTrainingRows';
export { churnTrainingRows } from './churnTrainingRows';
export type { CrossValidateOptions, CrossValidationResult } from './crossValidate';
export { crossValidate } from './crossValidate';
export { describeFeature } from './describeFeature';
export type {
  CalibrationBin,
  ChurnEvaluation,
  LiftAt,
  PredictionsAndOutcomes,
} from './evaluateChurnModel';
export { evaluateChurnModel } from './evaluateChurnModel';
export type {
  EncodedColumn,
  EncodedFeature,
  EncoderMode,
  FeatureEncoderOptions,
  FeatureEncoderSpec,
} from './FeatureEncoder';
export { FeatureEncoder, MISSING_VALUE, OTHER_CATEGORY } from './FeatureEncoder';
export { featureRows } from './featureRows';
export type { Calibrator } from './fitCalibrator';
export { applyCalibrator, fitCalibrator } from './fitCalibrator';
export type { FlatTree, GradientBoostingFit, GradientBoostingOptions } from './fitGradientBoosting';
export { fitGradientBoosting } from './fitGradientBoosting';
export type { LogisticRegressionFit, LogisticRegressionOptions } from './fitLogisticRegression';
export { fitLogisticRegression } from './fitLogisticRegression';
export type { ChurnHorizon } from './horizonEnd';
export type { KaplanMeierCurve, KaplanMeierOptions, KaplanMeierResult } from './kaplanMeier';
export { kaplanMeier } from './kaplanMeier';
export { CHURN_MODEL, loadChurnModel } from './loadChurnModel';
export type { AucInterval } from './rocAuc';
export { rocAuc, rocAucInterval } from './rocAuc';
export type { EventsOrTimelines } from './toTimelines';
export type { TrainChurnModelOptions } from './trainChurnModel';
export { trainChurnModel } from './trainChurnModel';
export type {
  ChurnColumns,
  ChurnModelKind,
  ChurnPrediction,
  ChurnReason,
  ChurnRow,
  ChurnTrainingTable,
  ChurnWarningCode,
  FeatureRecord,
  FeatureValue,
  RiskBand,
  RiskBands,
  ScoringRow,
} from './types';
