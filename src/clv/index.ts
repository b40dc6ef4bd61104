export type { BGBBHistory, BGBBModelJSON, BGBBParams } from './BGBBModel';
export { BGBBModel, bgbbLogLikelihood } from './BGBBModel';
export type { BGNBDModelJSON, BGNBDParams } from './BGNBDModel';
export { BGNBDModel } from './BGNBDModel';
export { compressRfm } from './compressRfm';
export type { CustomerClv, EstimateClvOptions, EstimateClvResult } from './estimateClv';
export { estimateClv } from './estimateClv';
export type { BGBBRow } from './fitBGBB';
export { fitBGBB } from './fitBGBB';
export { fitBGNBD } from './fitBGNBD';
export type { SpendRow } from './fitGammaGamma';
export { fitGammaGamma } from './fitGammaGamma';
export { fitMBGNBD } from './fitMBGNBD';
export { fitParetoNBD } from './fitParetoNBD';
export type { SurvivalCounts, TenureRow } from './fitShiftedBetaGeometric';
export { fitShiftedBetaGeometric } from './fitShiftedBetaGeometric';
export type { FormulaClvInput, FormulaClvResult } from './formulaClv';
export { formulaClv } from './formulaClv';
export type { GammaGammaDataReport, GammaGammaModelJSON, GammaGammaParams } from './GammaGammaModel';
export { GammaGammaModel } from './GammaGammaModel';
export type { HistoricalClvCustomer, HistoricalClvOptions } from './historicalClv';
export { historicalClv } from './historicalClv';
export type { MBGNBDModelJSON, MBGNBDParams } from './MBGNBDModel';
export { MBGNBDModel } from './MBGNBDModel';
export type { ParetoNBDModelJSON, ParetoNBDParams } from './ParetoNBDModel';
export { ParetoNBDModel } from './ParetoNBDModel';
export type { RfmCustomer, RfmSummary, RfmSummaryOptions } from './rfmSummary';
export { rfmSummary } from './rfmSummary';
export type { ShiftedBetaGeometricModelJSON, ShiftedBetaGeometricParams } from './ShiftedBetaGeometricModel';
export { ShiftedBetaGeometricModel } from './ShiftedBetaGeometricModel';
export type {
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
