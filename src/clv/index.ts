export type { CovariateCoding, CovariateColumn } from './_covariates';
export type { CovariateFitOptions } from './_covFit';
export type { ModelDiagnostics, ModelJSON } from './_modelJson';
export type { AlivePoint, AliveSeries, AliveSeriesOptions, AliveWarningCode } from './aliveSeries';
export { aliveSeries } from './aliveSeries';
export type { BGBBHistory, BGBBModelJSON, BGBBParams } from './BGBBModel';
export { BGBBModel, bgbbLogLikelihood } from './BGBBModel';
export type { BGNBDModelJSON, BGNBDParams } from './BGNBDModel';
export { BGNBDModel } from './BGNBDModel';
export type {
  CovariateBaseParams,
  CovariateRepeatModelJSON,
  CovariateWarningCode,
  LikelihoodRatioTest,
} from './CovariateRepeatModel';
export { CovariateRepeatModel } from './CovariateRepeatModel';
export type {
  ClvInterval,
  ClvIntervalOptions,
  ClvIntervals,
  ClvIntervalWarningCode,
  IntervalModel,
} from './clvIntervals';
export { clvIntervals } from './clvIntervals';
export type {
  ClvComparison,
  ClvComparisonRow,
  ClvCriterion,
  CompareClvModelsOptions,
  CompareClvWarningCode,
} from './compareClvModels';
export { compareClvModels } from './compareClvModels';
export { compressRfm } from './compressRfm';
export type { CustomerClv, EstimateClvOptions, EstimateClvResult } from './estimateClv';
export { estimateClv } from './estimateClv';
export type {
  CalibrationHoldoutRow,
  ClvEvaluation,
  ErrorSummary,
  EvaluateClvOptions,
  EvaluateClvWarningCode,
  HoldoutData,
  HoldoutModel,
  TrackingData,
  TrackingPoint,
} from './evaluateClv';
export { evaluateClv } from './evaluateClv';
export type { BGBBRow } from './fitBGBB';
export { fitBGBB } from './fitBGBB';
export { fitBGNBD } from './fitBGNBD';
export { fitBGNBDCovariates } from './fitBGNBDCovariates';
export type {
  CohortsSbgOptions,
  CohortsSbgResult,
  CohortsSbgWarningCode,
  SbgCohort,
  SbgCohortResult,
} from './fitCohortsSBG';
export { fitCohortsSBG } from './fitCohortsSBG';
export type { SpendRow } from './fitGammaGamma';
export { fitGammaGamma } from './fitGammaGamma';
export { fitMBGNBD } from './fitMBGNBD';
export { fitParetoNBD } from './fitParetoNBD';
export { fitParetoNBDCovariates } from './fitParetoNBDCovariates';
export type { SurvivalCounts, TenureRow } from './fitShiftedBetaGeometric';
export { fitShiftedBetaGeometric } from './fitShiftedBetaGeometric';
export type { FormulaClvInput, FormulaClvResult } from './formulaClv';
export { formulaClv } from './formulaClv';
export type {
  ConditionalModel,
  FrequencyRecencyMatrix,
  FrequencyRecencyOptions,
} from './frequencyRecencyMatrix';
export { frequencyRecencyMatrix } from './frequencyRecencyMatrix';
export type { GammaGammaDataReport, GammaGammaModelJSON, GammaGammaParams } from './GammaGammaModel';
export { GammaGammaModel } from './GammaGammaModel';
export type { HistoricalClvCustomer, HistoricalClvOptions, HistoricalClvResult } from './historicalClv';
export { historicalClv } from './historicalClv';
export type { ClvModel } from './loadClvModel';
export { CLV_MODEL_KINDS, loadClvModel } from './loadClvModel';
export type { MBGNBDModelJSON, MBGNBDParams } from './MBGNBDModel';
export { MBGNBDModel } from './MBGNBDModel';
export type { NewCustomerModel, NewCustomerOptions, NewCustomerPurchases } from './newCustomerPurchases';
export { newCustomerPurchases } from './newCustomerPurchases';
export type { ParetoNBDModelJSON, ParetoNBDParams } from './ParetoNBDModel';
export { ParetoNBDModel } from './ParetoNBDModel';
export type {
  PmfModel,
  PmfPoint,
  PurchasePmfOptions,
  PurchasePmfSeries,
  PurchasePmfWarningCode,
} from './purchasePmfSeries';
export { purchasePmfSeries } from './purchasePmfSeries';
export type { RfmCustomer, RfmSummary, RfmSummaryOptions } from './rfmSummary';
export { rfmSummary } from './rfmSummary';
export type { ShiftedBetaGeometricModelJSON, ShiftedBetaGeometricParams } from './ShiftedBetaGeometricModel';
export { ShiftedBetaGeometricModel } from './ShiftedBetaGeometricModel';
export type { TrackingDataOptions, TrackingDataResult } from './trackingData';
export { trackingData } from './trackingData';
export type {
  ClvWarningCode,
  CompressedRfm,
  CustomerHistory,
  FitDiagnostics,
  FitOptions,
  LifetimeValueOptions,
  LifetimeValueResult,
  MonthlyLifetimeValueOptions,
  RfmColumns,
  RfmInput,
  RfmRow,
  TimeUnit,
} from './types';
