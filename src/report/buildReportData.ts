import { checkOptions, optionError, ValidationError } from '../_lib/errors';
import { type DateInput, MS_PER_DAY, requireEpochMs } from '../_lib/time';
import { churnFeatures } from '../churn/churnFeatures';
import { featureRows } from '../churn/featureRows';
import { groupByCustomer } from '../events/groupByCustomer';
import type { CustomerEvent, CustomerProfile, CustomerTimelines } from '../events/types';
import { checkStoreShape } from '../metrics/_storeIndex';
import { indexEvents } from '../metrics/indexEvents';
import { type EventStore, isEventStore } from '../store/EventStore';
import type { AsOfOptions, ProfilesOptions } from '../types';
import { customerTable } from './_customerTable';
import { currentScores, healthSection, moversSection, riskySection } from './_healthSections';
import { churnSection, clustersSection } from './_modelSections';
import { overviewSection } from './_overviewSection';
import { attempt, FN, HISTORY_STEP_DAYS, type ReportInput, type ReportState } from './_section';
import { storeOverview, storeUpTo } from './_storeReport';
import { cohortsSection, revenueSection, survivalSection } from './_subscriptionSections';
import { clvSection, rfmSection } from './_valueSections';
import type { ReportData } from './types';

/** Options of {@link buildReportData}. */
export interface BuildReportDataOptions extends Partial<AsOfOptions>, ProfilesOptions<CustomerProfile> {
  /** The report's "today". @default just after the latest event */
  asOf?: DateInput;
  /** Title at the top of the report. @default 'Customer vitals' */
  title?: string;
  /** Churn horizon in days for the model-quality section. @default 30 */
  horizonDays?: number;
  /** Months of health history (band over time, score history per customer). @default 6 */
  historyMonths?: number;
  /** Customers in the "riskiest", "who moved" and "top risks" lists. @default 10 */
  listSize?: number;
}

const KNOWN = ['asOf', 'profiles', 'title', 'horizonDays', 'historyMonths', 'listSize'] as const;

/**
 * Computes everything the HTML report shows from validated events: overview KPIs (NPS/CSAT/CES with
 * 95% intervals, revenue, retention), monthly MRR movements with NRR/GRR and logo churn, health
 * bands now and over time, the riskiest customers with their drivers, the largest health drops
 * explained (`explainChange`), churn model quality from an out-of-time `backtest` (ROC, calibration,
 * gains) and the current top risks, Kaplan–Meier retention by plan, CLV distribution and
 * concentration (Lorenz curve, top-x% share), the RFM grid and segments, cluster profiles and
 * cohort retention, plus a compact table of every customer.
 *
 * Missing-data policy: each section is computed only when the data holds what it needs (e.g.
 * subscription events for revenue and survival, purchases for CLV and RFM, survey answers for
 * NPS); otherwise it is `{ available: false, reason }` with the reason in a sentence. A section
 * whose computation reports insufficient data (a `VitalsError`) is absent with that message.
 *
 * Over an `EventStore` (what the CLI reads), every section reads its typed columns (KPIs, MRR,
 * retention and cohorts, health history, churn features and labels, survival spans, CLV and RFM
 * totals): no event object is built. The result equals the report of the same events as an array.
 *
 * @param events validated events (`parseEvents(...).events`) or an `EventStore`.
 * @param options `asOf`, `profiles`, `title`, churn horizon, history length, list size.
 * @returns the {@link ReportData} for `renderReport`.
 * @throws ValidationError on invalid options.
 * @example
 * ```ts
 * const saas = generateSaasEvents({ customers: 50, seed: 1, end: '2025-06-01' });
 * const data = buildReportData(saas.events, { profiles: saas.profiles, asOf: '2025-06-01' });
 * data.health.available; // => true
 * data.rfm.available;    // => false ('no purchase events: ...')
 * ```
 */
export function buildReportData(
  events: readonly CustomerEvent[] | EventStore,
  options: BuildReportDataOptions = {},
): ReportData {
  checkOptions(FN, options, KNOWN);
  const store = isEventStore(events) ? events : undefined;
  if (store !== undefined) checkStoreShape(store, FN);
  if (store === undefined && !Array.isArray(events))
    throw optionError(FN, 'events', 'must be an array of validated events or an EventStore');
  const { earliest, latest, types } =
    store === undefined ? arrayOverview(events as readonly CustomerEvent[]) : storeOverview(store);
  const eventCount = store === undefined ? (events as readonly CustomerEvent[]).length : store.length;
  const asOf =
    options.asOf === undefined ? (eventCount ? latest + 1 : 0) : requireEpochMs(options.asOf, FN, 'asOf');
  const input = reportInput(events, store, options, asOf, earliest, types);
  const title = options.title ?? 'Customer vitals';
  const state: ReportState = {
    histories: [],
    churnNow: new Map<string, number>(),
    clvById: new Map<string, number>(),
    segmentById: new Map<string, string>(),
    warnings: [],
  };
  const health = attempt('Health', () => healthSection(input, state));
  const current = currentScores(state, input.historyDates);
  const risky = attempt('Riskiest customers', () => riskySection(health, current, input.listSize));
  const movers = attempt('Who moved', () => moversSection(input, state, health));
  const churn = attempt('Churn model', () => churnSection(input, state));
  const survival = attempt('Retention curves', () => survivalSection(input));
  const clv = attempt('CLV', () => clvSection(input, state));
  const rfm = attempt('RFM', () => rfmSection(input, state));
  const clusters = attempt('Clusters', () => clustersSection(input));
  const cohorts = attempt('Cohorts', () => cohortsSection(input));
  const revenue = attempt('Revenue', () => revenueSection(input));
  const overview = attempt('Overview', () => overviewSection(input, revenue, health));
  const customers = customerTable(
    input.ids,
    input.profiles,
    current,
    state.histories,
    input.historyDates,
    state.churnNow,
    state.clvById,
    state.segmentById,
    health.available ? health.data.bands : [],
  );
  return {
    schemaVersion: 1,
    title,
    asOf,
    pseudonymised: false,
    source: {
      events: input.windowCount,
      customers: input.ids.length,
      from: eventCount ? earliest : null,
      to: eventCount ? latest : null,
      types: { ...types },
    },
    overview,
    revenue,
    health,
    risky,
    movers,
    churn,
    survival,
    clv,
    rfm,
    clusters,
    cohorts,
    customers,
    warnings: state.warnings,
  };
}

/** The validated sizes of the report: churn horizon, history length, list size. */
function reportSizes(options: BuildReportDataOptions) {
  const horizonDays = options.horizonDays ?? 30;
  if (!Number.isInteger(horizonDays) || horizonDays < 1)
    throw optionError(FN, 'horizonDays', 'must be an integer >= 1');
  const historyMonths = options.historyMonths ?? 6;
  if (!Number.isInteger(historyMonths) || historyMonths < 1 || historyMonths > 36) {
    throw optionError(FN, 'historyMonths', 'must be an integer 1..36');
  }
  const listSize = options.listSize ?? 10;
  if (!Number.isInteger(listSize) || listSize < 1)
    throw optionError(FN, 'listSize', 'must be an integer >= 1');
  return { horizonDays, historyMonths, listSize };
}

/**
 * What every section reads: the events up to the report date (the asOf rule), as an array with its
 * timelines or as a store of those rows, their index, the customers, the history dates.
 */
function reportInput(
  events: readonly CustomerEvent[] | EventStore,
  store: EventStore | undefined,
  options: BuildReportDataOptions,
  asOf: number,
  earliest: number,
  types: Record<string, number>,
): ReportInput {
  const { horizonDays, historyMonths, listSize } = reportSizes(options);
  const given = options.profiles;
  const profiles: CustomerProfile[] =
    given === undefined
      ? []
      : given instanceof Map
        ? [...given.values()]
        : [...(given as readonly CustomerProfile[])];
  const has = (...t: string[]) => t.some((x) => (types[x] ?? 0) > 0);
  // The events up to the report date (the asOf rule): an array, or a store of those rows.
  const window = store === undefined ? undefined : storeUpTo(store, asOf);
  const inWindow =
    window === undefined
      ? (events as readonly CustomerEvent[]).filter((e) => e.timestamp <= asOf)
      : undefined;
  // Over a store no timelines are built: churn reads the store, the other sections its columns.
  const timelines = inWindow === undefined ? undefined : groupByCustomer(inWindow);
  const churnInput = window ?? (timelines as CustomerTimelines);
  const ids: readonly string[] =
    window === undefined ? [...(timelines as CustomerTimelines).keys()] : window.customerIds;
  const windowCount = window === undefined ? (inWindow as CustomerEvent[]).length : window.length;
  const index = indexEvents(window ?? (inWindow as CustomerEvent[]));
  // Health: history at monthly steps ending at asOf.
  const historyDates: number[] = [];
  for (let k = historyMonths - 1; k >= 0; k--) historyDates.push(asOf - k * HISTORY_STEP_DAYS * MS_PER_DAY);
  // Churn features at asOf, computed once for the churn scores and the clusters.
  let featureCache: ReturnType<typeof featureRows> | undefined;
  const featuresNow = () => {
    featureCache ??= featureRows(churnFeatures(churnInput, { asOf, profiles }));
    return featureCache;
  };
  return {
    asOf,
    earliest,
    horizonDays,
    listSize,
    profiles,
    ids,
    window,
    inWindow,
    timelines,
    churnInput,
    index,
    // CLV reads the store's purchase and refund columns; the events path reads the events.
    orders: window ?? (inWindow as CustomerEvent[]),
    windowCount,
    historyDates,
    has,
    hasSubscriptions: has(
      'subscription_started',
      'subscription_changed',
      'subscription_renewed',
      'subscription_cancelled',
    ),
    hasPurchases: has('purchase'),
    featuresNow,
  };
}

/** Bounds and type counts of an event array, checking each entry is a validated event. */
function arrayOverview(events: readonly CustomerEvent[]): {
  earliest: number;
  latest: number;
  types: Record<string, number>;
} {
  let latest = Number.NEGATIVE_INFINITY;
  let earliest = Number.POSITIVE_INFINITY;
  const types: Record<string, number> = Object.create(null);
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as CustomerEvent;
    if (
      e === null ||
      typeof e !== 'object' ||
      typeof e.customerId !== 'string' ||
      typeof e.type !== 'string' ||
      typeof e.timestamp !== 'number' ||
      !Number.isFinite(e.timestamp)
    ) {
      throw new ValidationError(FN, [
        {
          index: i,
          path: [i],
          code: 'invalid_element',
          message: `events[${i}] is not a validated event (customerId, type, epoch-ms timestamp): pass parseEvents(rows).events`,
        },
      ]);
    }
    if (e.timestamp > latest) latest = e.timestamp;
    if (e.timestamp < earliest) earliest = e.timestamp;
    types[e.type] = (types[e.type] ?? 0) + 1;
  }
  return { earliest, latest, types };
}
