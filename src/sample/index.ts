/**
 * `customer-vitals/sample`: seeded generators of realistic data for demos, examples, tests and
 * benchmarks, with the ground truth needed to measure model quality.
 * @module
 */

export type { ActionSample, ActionSampleOptions, ActionTruth } from './generateActionEvents';
export { generateActionEvents } from './generateActionEvents';
export type { OnboardingSampleOptions, OnboardingTruth } from './generateOnboardingEvents';
export { generateOnboardingEvents, SAMPLE_MILESTONES } from './generateOnboardingEvents';
export { DEFAULT_RETAIL_PARAMS, generateRetailTransactions } from './generateRetailTransactions';
export { generateSaasEvents } from './generateSaasEvents';
export type {
  RetailParams,
  RetailSample,
  RetailSampleOptions,
  RetailTruth,
  SaasSample,
  SaasSampleOptions,
  SaasTruth,
} from './types';
