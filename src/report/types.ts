/**
 * The data of a report: plain JSON (numbers, strings, arrays), so it can be built in one place
 * (`buildReportData`), stored, pseudonymised, and rendered anywhere (`renderReport`).
 * @module
 */
import type { VitalsWarning } from '../types';

/** A section is present with its data, or absent with the reason the data does not support it. */
export type Section<T> = { available: true; data: T } | { available: false; reason: string };

/** One headline figure. */
export interface Kpi {
  label: string;
  /** The value as shown. */
  value: string;
  /** Interval, counts or period, as shown under the value. */
  detail: string;
}

/** Monthly revenue movements and retention. */
export interface RevenueData {
  periods: {
    start: number;
    startMrr: number;
    endMrr: number;
    new: number;
    expansion: number;
    contraction: number;
    churned: number;
    reactivation: number;
    nrr: number | null;
    grr: number | null;
    logoChurn: number | null;
  }[];
}

/** Health band counts now and over time. */
export interface HealthBandsData {
  bands: string[];
  /** Band counts at each history date (the last one is `asOf`). */
  overTime: { asOf: number; counts: number[] }[];
  /** Scores at `asOf` (for the distribution histogram), one decimal. */
  scores: number[];
}

/** One driver of a customer's score or churn risk. */
export interface DriverView {
  label: string;
  /** Points (health) or percentage points of risk (churn) this driver accounts for; negative = hurts. */
  impact: number;
  sentence: string;
}

/** A customer singled out in a section. */
export interface CustomerView {
  id: string;
  score: number | null;
  band: string | null;
  drivers: DriverView[];
}

/** A customer whose score fell, with why. */
export interface MoverView {
  id: string;
  before: number | null;
  after: number | null;
  delta: number;
  summary: string;
  changes: DriverView[];
}

/** Churn model quality and current top risks. */
export interface ChurnData {
  horizonDays: number;
  testAsOf: number;
  n: number;
  positives: number;
  auc: number | null;
  /** ROC curve points (false-positive rate, true-positive rate). */
  roc: [number, number][];
  calibration: { bin: number; n: number; meanPredicted: number; observedRate: number }[];
  /** Capture (share of churners) in the riskiest fraction of customers, for the gain chart. */
  gains: [number, number][];
  top10Lift: number | null;
  top20Capture: number | null;
  topRisks: { id: string; probability: number; reasons: string[] }[];
}

/** Kaplan–Meier curves. */
export interface SurvivalData {
  /** Time unit of `times`. */
  unit: 'months';
  curves: {
    label: string;
    n: number;
    events: number;
    median: number | null;
    times: number[];
    survival: number[];
    lower: number[];
    upper: number[];
  }[];
}

/** CLV distribution and concentration. */
export interface ClvData {
  method: string;
  reason: string;
  horizonMonths: number;
  n: number;
  total: number;
  /** Histogram of values: bin edges (length k + 1) and counts (length k). */
  edges: number[];
  counts: number[];
  /** Lorenz curve points (share of customers from the lowest, share of value). */
  lorenz: [number, number][];
  /** Share of total value held by the top 1%, 10%, 20% of customers. */
  topShares: { fraction: number; share: number }[];
  /** Expected vs actual repeat purchases per week in a holdout, when one was fitted. */
  tracking: { week: number; expected: number; actual: number }[] | null;
  trackingReason: string | null;
}

/** RFM grid and segment table. */
export interface RfmData {
  /** counts[r - 1][fm - 1]. */
  grid: number[][];
  segments: {
    name: string;
    count: number;
    share: number;
    monetaryShare: number | null;
    description: string | null;
  }[];
}

/** Cluster profiles. */
export interface ClusterData {
  silhouette: number | null;
  clusters: {
    name: string;
    size: number;
    share: number;
    features: { label: string; z: number; mean: number; populationMean: number }[];
  }[];
}

/** Cohort retention heatmap. */
export interface CohortData {
  by: 'logo' | 'revenue';
  cohorts: { start: number; size: number; cells: (number | null)[] }[];
}

/**
 * Every customer, columnar and compact (a report for 100k customers stays small): parallel arrays
 * indexed like `ids`. Codes index the `*Names` lists; -1 = none.
 */
export interface CustomerTable {
  ids: string[];
  score: (number | null)[];
  band: number[];
  bandNames: string[];
  segment: number[];
  segmentNames: string[];
  plan: number[];
  planNames: string[];
  /** Churn probability in percent, one decimal, or null when not scored. */
  churn: (number | null)[];
  clv: (number | null)[];
  /** Scores at each `historyDates` date (integers), flattened: `history[i * historyDates.length + j]`. */
  historyDates: number[];
  history: (number | null)[];
  /** Up to `driversPerCustomer` (measure code, impact in tenths of a point) pairs, flattened. */
  driversPerCustomer: number;
  drivers: number[];
  driverNames: string[];
}

/** Everything a report shows. */
export interface ReportData {
  schemaVersion: 1;
  title: string;
  asOf: number;
  /** True when ids were replaced by keyed hashes. */
  pseudonymised: boolean;
  source: {
    events: number;
    customers: number;
    from: number | null;
    to: number | null;
    types: Record<string, number>;
  };
  overview: Section<{ kpis: Kpi[] }>;
  revenue: Section<RevenueData>;
  health: Section<HealthBandsData>;
  risky: Section<{ customers: CustomerView[] }>;
  movers: Section<{ from: number; customers: MoverView[] }>;
  churn: Section<ChurnData>;
  survival: Section<SurvivalData>;
  clv: Section<ClvData>;
  rfm: Section<RfmData>;
  clusters: Section<ClusterData>;
  cohorts: Section<CohortData>;
  customers: CustomerTable;
  warnings: VitalsWarning[];
}
