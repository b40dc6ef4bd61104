/**
 * `customer-vitals/acquisition`: CAC, CAC payback, LTV:CAC and trial/visit conversion per period
 * and channel (`acquisitionMetrics`).
 * @module
 */

export type {
  AcquisitionCell,
  AcquisitionOptions,
  AcquisitionResult,
  AcquisitionSpendRow,
  AcquisitionWarningCode,
  Conversion,
} from './acquisitionMetrics';
export { acquisitionMetrics } from './acquisitionMetrics';
