import type { VitalsWarning } from '../types';

/** Warning codes of `auditFairness`. */
export type FairnessWarningCode =
  | 'small_group'
  | 'single_class_group'
  | 'too_few_groups'
  | 'scores_not_probabilities';

/** A difference between two groups with its 95% interval. */
export interface GroupGap {
  /** Group minus reference. */
  difference: number;
  interval: [number, number];
  /** Whether the interval excludes 0 (two-sided 5% test). */
  significant: boolean;
}

/** Calibration in one decile of the predicted probability (deciles of the whole data set). */
export interface FairnessCalibrationBin {
  /** Decile 1..10. */
  decile: number;
  n: number;
  meanPredicted: number | null;
  observedRate: number | null;
}

/** What the audit found for one group. */
export interface FairnessGroup {
  group: string;
  n: number;
  positives: number;
  /** Outcome rate (e.g. churn rate), with a Wilson 95% interval. */
  baseRate: number | null;
  baseRateInterval: [number, number] | null;
  /** AUC within the group, with a DeLong 95% interval; null when the group has one class only. */
  auc: number | null;
  aucInterval: [number, number] | null;
  /** Mean predicted − observed rate (probabilities only; null for scores or an empty group). */
  calibrationInTheLarge: number | null;
  /** Calibration per decile of the predictions (probabilities only; empty for scores). */
  calibration: FairnessCalibrationBin[];
  /** Share flagged at the threshold ("selected"). */
  selectionRate: number | null;
  /** True positive rate (recall) and false positive rate at the threshold; null without that class. */
  truePositiveRate: number | null;
  falsePositiveRate: number | null;
  /** False when the group is below `minGroupSize`: reported, not judged. */
  judged: boolean;
  /** Gaps to the reference group (null for the reference group itself and unjudged groups). */
  gaps: {
    selectionRate: GroupGap | null;
    truePositiveRate: GroupGap | null;
    falsePositiveRate: GroupGap | null;
    auc: GroupGap | null;
  } | null;
}

/** A flagged gap. */
export interface FairnessFlag {
  metric: 'demographic_parity' | 'equalised_odds' | 'auc';
  group: string;
  reference: string;
  /** The gap (absolute size compared with the limit). */
  difference: number;
  limit: number;
  significant: boolean;
  message: string;
}

/** Result of `auditFairness`. */
export interface FairnessAudit {
  kind: 'probabilities' | 'scores';
  threshold: number;
  reference: string | null;
  groups: FairnessGroup[];
  /**
   * Demographic-parity difference: largest minus smallest selection rate among judged groups
   * (fairlearn's definition), with the 95% interval of that pair's difference; null with < 2 judged groups.
   */
  demographicParityDifference: GroupGap | null;
  /**
   * Equalised-odds difference: the larger of the TPR spread and the FPR spread among judged groups
   * (fairlearn's definition), with the 95% interval of the pair that gives it.
   */
  equalisedOddsDifference: GroupGap | null;
  flags: FairnessFlag[];
  n: number;
  dataUsed: string[];
  warnings: VitalsWarning<FairnessWarningCode>[];
}

/** Association of one feature with the sensitive attribute. */
export interface ProxyFeature {
  feature: string;
  /** `correlation_ratio` (η, numeric feature) or `cramers_v` (categorical feature). */
  measure: 'correlation_ratio' | 'cramers_v';
  /** In [0, 1]: 0 = no association, 1 = the feature determines the group (or vice versa). */
  association: number;
  /** Rows where both the feature and the attribute are present. */
  n: number;
  /** Whether `association >= threshold`. */
  proxy: boolean;
}
