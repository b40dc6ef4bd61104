/**
 * `customer-vitals/onboarding`: milestones as data (`parseMilestones`), onboarding progress,
 * stalled customers, funnels and Kaplan–Meier time-to-value (`onboardingProgress`), and a health
 * signal for the first 90 days (`onboardingSignal`).
 * @module
 */

export type {
  CustomerOnboarding,
  OnboardingCohort,
  OnboardingOptions,
  OnboardingResult,
  OnboardingWarningCode,
} from './onboardingProgress';
export { onboardingProgress } from './onboardingProgress';
export type { OnboardingSignalOptions } from './onboardingSignal';
export { onboardingSignal } from './onboardingSignal';
export type { Milestone, MilestoneInput } from './parseMilestones';
export { parseMilestones } from './parseMilestones';
