import { checkOptions } from '../_lib/errors';
import { type DataSource, SOURCE_NOUNS } from '../_lib/sources';
import type { CustomerProfile } from '../events/types';
import type { ProfilesOptions, VitalsWarning } from '../types';
import { asIndex, type EventsInput } from './indexEvents';

/** A family of metrics, each needing one kind of data. */
export type MetricFamily = 'transactional' | 'saas' | 'engagement' | 'support' | 'surveys';

/**
 * Warning codes of {@link chooseMetrics}:
 * - `no_events`: the input holds no event; no metric applies.
 * - `source_absent`: a family's data is absent from the whole data set (e.g. no subscription
 *   events: MRR, revenue and logo retention would only print zeros), so it is not chosen.
 */
export type MetricsWarningCode = 'no_events' | 'source_absent';

/** Options of {@link chooseMetrics}. */
export interface ChooseMetricsOptions extends ProfilesOptions<CustomerProfile> {}

/** What {@link chooseMetrics} found: the metrics the data supports and what it lacks. */
export interface MetricChoice {
  /** Families the data supports, in a fixed order (transactional, saas, engagement, support, surveys). */
  families: MetricFamily[];
  /** Names of the metrics functions to run, in family order (e.g. `transactionalMetrics`, `mrrMovements`, `csat`). */
  metrics: string[];
  /** Sources present in and absent from the whole data set. */
  sources: { present: DataSource[]; absent: DataSource[] };
  /** First and last event (epoch ms), or null without events. */
  span: { from: number; to: number } | null;
  /** One sentence per absent family (and `no_events`); see {@link MetricsWarningCode}. */
  warnings: VitalsWarning<MetricsWarningCode>[];
}

const FAMILIES: readonly {
  family: MetricFamily;
  needs: readonly DataSource[];
  metrics: (has: (s: DataSource) => boolean) => string[];
  what: string;
}[] = [
  {
    family: 'transactional',
    needs: ['purchases'],
    metrics: () => ['transactionalMetrics'],
    what: 'order metrics (AOV, purchase frequency, repeat rate)',
  },
  {
    family: 'saas',
    needs: ['subscriptions'],
    metrics: () => ['mrrMovements', 'revenueRetention', 'logoRetention', 'cohortRetention'],
    what: 'MRR, revenue and logo retention',
  },
  {
    family: 'engagement',
    needs: ['activity'],
    metrics: (has) => [
      'activeCustomers',
      'stickiness',
      'featureAdoption',
      ...(has('seats') ? ['licenseUtilization'] : []),
    ],
    what: 'active customers, stickiness and feature adoption',
  },
  {
    family: 'support',
    needs: ['support'],
    metrics: () => ['supportMetrics', 'supportSeries'],
    what: 'support metrics (volume, resolution times, backlog)',
  },
  {
    family: 'surveys',
    needs: ['nps', 'csat', 'ces'],
    metrics: (has) => [
      ...(has('nps') ? ['nps'] : []),
      ...(has('csat') ? ['csat'] : []),
      ...(has('ces') ? ['ces'] : []),
    ],
    what: 'survey scores (NPS, CSAT, CES)',
  },
];

/**
 * Chooses the metrics a data set supports, from the event types it holds: transactional metrics
 * for purchases, SaaS metrics (MRR movements, revenue, logo and cohort retention) for subscription
 * events, engagement for activity (licence utilisation when seats are known), support metrics for
 * tickets, and each survey (NPS, CSAT, CES) that has answers. Families whose data is absent from
 * the whole data set are left out with one warning each, so a report never prints "MRR 0 → 0" for a
 * shop's orders or empty support cells.
 *
 * Missing data: an empty input chooses nothing, with a `no_events` warning.
 *
 * @param events validated events, an `EventStore` or an `EventIndex` (one pass over the types).
 * @param options optional `profiles` (seats in profiles count as seat data).
 * @returns the chosen families and metric names, the present and absent sources, the data's span
 *   and warnings.
 * @throws ValidationError when `events` is not an array or an `EventIndex`, holds something that is
 *   not a validated event (no string `type` or finite `timestamp`), or an option is unknown.
 * @example
 * ```ts
 * import { chooseMetrics } from 'customer-vitals/metrics';
 * const choice = chooseMetrics([
 *   { customerId: 'a', type: 'purchase', timestamp: Date.UTC(2025, 0, 5), value: 40 },
 *   { customerId: 'a', type: 'csat_response', timestamp: Date.UTC(2025, 0, 6), value: 5 },
 * ]);
 * choice.metrics; // => ['transactionalMetrics', 'csat']
 * choice.warnings[0]?.message; // => 'No subscriptions (subscription_*) in the data: MRR, revenue and logo retention left out.'
 * ```
 */
export function chooseMetrics(events: EventsInput, options: ChooseMetricsOptions = {}): MetricChoice {
  const fn = 'chooseMetrics';
  checkOptions(fn, options, ['profiles']);
  const ix = asIndex(events, fn);
  const profiles = options.profiles === undefined ? undefined : Array.from(options.profiles.values());
  const sources = ix.sources(profiles);
  const has = (s: DataSource): boolean => sources.has(s);
  const warnings: VitalsWarning<MetricsWarningCode>[] = [];
  if (ix.size === 0)
    warnings.push({ code: 'no_events', message: 'The data holds no event: no metric can be computed.' });
  const families: MetricFamily[] = [];
  const metrics: string[] = [];
  for (const f of FAMILIES) {
    if (f.needs.some(has)) {
      families.push(f.family);
      metrics.push(...f.metrics(has));
    } else if (ix.size > 0) {
      const noun = f.needs.map((s) => SOURCE_NOUNS[s]).join(' or ');
      warnings.push({ code: 'source_absent', message: `No ${noun} in the data: ${f.what} left out.` });
    }
  }
  const span = ix.size === 0 ? null : { from: sources.firstTimestamp, to: sources.lastTimestamp };
  return {
    families,
    metrics,
    sources: { present: sources.present(), absent: sources.absent() },
    span,
    warnings,
  };
}
