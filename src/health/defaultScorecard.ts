import type { Scorecard } from './scorecardSchema';

/**
 * The default scorecard: works out of the box on canonical events. Weights (relative within each
 * group; global share in brackets):
 *
 * - **Engagement** 50 (50%): login trend, last 30 days vs the 30 before (baseline −60% → 0, +10% → 100) 14
 *   [14%]; days since last activity (step: <3 → 100, <8 → 85, <15 → 55, <31 → 25, else 0) 12 [12%];
 *   active days in the last 30 (linear 0 → 18) 10 [10%]; robust weekly usage slope over 90 days
 *   (linear −15%/week → +5%/week) 6 [6%]; licence utilisation (linear 10% → 80%) 4 [4%]; feature
 *   breadth in 30 days (percentile within the plan) 4 [4%].
 * - **Support** 15 (15%): open tickets (step 0 → 100, 1–2 → 70, 3+ → 30) 5; high-priority tickets in
 *   90 days (0 → 100, 1 → 60, 2+ → 20) 5; median resolution hours in 90 days (linear 120 → 8) 5.
 * - **Sentiment** 20 (20%): latest NPS (0–6 → 10, 7–8 → 60, 9–10 → 100) 10; average CSAT in 180 days
 *   (linear 2 → 5) 5; average CES in 180 days (linear 6 → 2, lower is easier) 5.
 * - **Commercial** 15 (15%): failed payments in 90 days (0 → 100, 1 → 50, 2+ → 0) 8; MRR change over
 *   90 days (linear −30% → +10%) 4; CSM rating (linear 1 → 5, `csm_rating` events) 3.
 *
 * Every measure uses the default missing-data policy (skip and re-spread within its group).
 * Bands: 0–49 at risk, 50–74 neutral, 75–100 healthy; coverage below 60% is flagged.
 *
 * @example
 * ```ts
 * scoreHealth(events, { asOf: '2025-06-01', scorecard: defaultScorecard })[0].score; // => 71.4
 * ```
 */
export const defaultScorecard: Scorecard = {
  id: 'default',
  label: 'Default health scorecard',
  bands: [
    { label: 'at risk', min: 0 },
    { label: 'neutral', min: 50 },
    { label: 'healthy', min: 75 },
  ],
  lowCoverageBelow: 0.6,
  neutralScore: 50,
  groups: [
    {
      id: 'engagement',
      label: 'Engagement',
      weight: 50,
      measures: [
        {
          id: 'loginTrend',
          label: 'Login trend',
          signal: 'logins',
          days: 30,
          weight: 14,
          curve: { type: 'baseline', worst: -60, best: 10 },
        },
        {
          id: 'recency',
          label: 'Days since last activity',
          signal: 'daysSinceActivity',
          weight: 12,
          curve: { type: 'step', thresholds: [3, 8, 15, 31], points: [100, 85, 55, 25, 0] },
        },
        {
          id: 'activeDays',
          label: 'Active days',
          signal: 'activeDays',
          days: 30,
          weight: 10,
          curve: { type: 'linear', worst: 0, best: 18 },
        },
        {
          id: 'usageSlope',
          label: 'Usage trend (90 days)',
          signal: 'usageSlope',
          days: 90,
          weight: 6,
          curve: { type: 'linear', worst: -15, best: 5 },
        },
        {
          id: 'licenseUtilisation',
          label: 'Licence utilisation',
          signal: 'licenseUtilisation',
          days: 30,
          weight: 4,
          curve: { type: 'linear', worst: 0.1, best: 0.8 },
        },
        {
          id: 'featureBreadth',
          label: 'Feature breadth',
          signal: 'featureBreadth',
          days: 30,
          weight: 4,
          curve: { type: 'percentile', segmentBy: 'plan' },
        },
      ],
    },
    {
      id: 'support',
      label: 'Support',
      weight: 15,
      measures: [
        {
          id: 'openTickets',
          label: 'Open tickets',
          signal: 'openTickets',
          weight: 5,
          curve: { type: 'step', thresholds: [1, 3], points: [100, 70, 30] },
        },
        {
          id: 'highPriorityTickets',
          label: 'High-priority tickets',
          signal: 'highPriorityTickets',
          days: 90,
          weight: 5,
          curve: { type: 'step', thresholds: [1, 2], points: [100, 60, 20] },
        },
        {
          id: 'resolutionTime',
          label: 'Resolution time',
          signal: 'medianResolutionHours',
          days: 90,
          weight: 5,
          curve: { type: 'linear', worst: 120, best: 8 },
        },
      ],
    },
    {
      id: 'sentiment',
      label: 'Sentiment',
      weight: 20,
      measures: [
        {
          id: 'nps',
          label: 'NPS',
          signal: 'npsLatest',
          weight: 10,
          curve: { type: 'step', thresholds: [7, 9], points: [10, 60, 100] },
        },
        {
          id: 'csat',
          label: 'CSAT',
          signal: 'csatAverage',
          days: 180,
          weight: 5,
          curve: { type: 'linear', worst: 2, best: 5 },
        },
        {
          id: 'ces',
          label: 'Customer effort',
          signal: 'cesAverage',
          days: 180,
          weight: 5,
          curve: { type: 'linear', worst: 6, best: 2 },
        },
      ],
    },
    {
      id: 'commercial',
      label: 'Commercial',
      weight: 15,
      measures: [
        {
          id: 'failedPayments',
          label: 'Failed payments',
          signal: 'failedPayments',
          days: 90,
          weight: 8,
          curve: { type: 'step', thresholds: [1, 2], points: [100, 50, 0] },
        },
        {
          id: 'mrrChange',
          label: 'MRR change',
          signal: 'mrrChange',
          days: 90,
          weight: 4,
          curve: { type: 'linear', worst: -30, best: 10 },
        },
        {
          id: 'csmRating',
          label: 'CSM rating',
          signal: 'csmRating',
          weight: 3,
          curve: { type: 'linear', worst: 1, best: 5 },
        },
      ],
    },
  ],
};
