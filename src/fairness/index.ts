/**
 * `customer-vitals/fairness`: a fairness audit of churn probabilities and health scores across
 * customer groups (`auditFairness`), proxy detection for a sensitive attribute
 * (`findProxyFeatures`) and `splitSensitive` to train without the attribute while auditing by it.
 * @module
 */

export type { AuditFairnessOptions, FairnessInput } from './auditFairness';
export { auditFairness } from './auditFairness';
export type { FindProxyFeaturesOptions, ProxyRow } from './findProxyFeatures';
export { findProxyFeatures } from './findProxyFeatures';
export type { SplitSensitiveOptions } from './splitSensitive';
export { splitSensitive } from './splitSensitive';
export type {
  FairnessAudit,
  FairnessCalibrationBin,
  FairnessFlag,
  FairnessGroup,
  FairnessWarningCode,
  GroupGap,
  ProxyFeature,
} from './types';
