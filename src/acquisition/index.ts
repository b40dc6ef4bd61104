/**
 * `customer-vitals/acquisition`: CAC, CAC payback, LTV:CAC and trial/visit conversion per period
 * and channel (`acquisitionMetrics`).
 * @module
 */

export type {
  AcquisitionCell,
  AcquisitionOptions,
  AcquisitionResult,
  AcquisitionWarningCode,
  Conversion,
  SpendRow,
} from './acquisitionMetrics';
export { acquisitionMetrics } from './acquisitionMetrics';
