/**
 * `customer-vitals/report`: one self-contained HTML report (charts, customer table, drivers) from
 * validated events. `buildReportData` computes, `renderReport` renders (no Node API, no network),
 * `pseudonymiseReport` replaces customer ids by keyed hashes.
 * @module
 */
export type { BuildReportDataOptions } from './buildReportData';
export { buildReportData } from './buildReportData';
export type { PseudonymiseOptions } from './pseudonymiseReport';
export { pseudonymiseReport } from './pseudonymiseReport';
export type { RenderReportOptions } from './renderReport';
export { REPORT_SECTIONS, renderReport } from './renderReport';
export type {
  ChurnData,
  ClusterData,
  ClvData,
  CohortData,
  CustomerTable,
  CustomerView,
  DriverView,
  HealthBandsData,
  Kpi,
  MoverView,
  ReportData,
  RevenueData,
  RfmData,
  Section,
  SurvivalData,
} from './types';
