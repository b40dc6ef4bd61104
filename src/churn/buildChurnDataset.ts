import { checkOptions } from '../_lib/errors';
import type { CustomerProfile } from '../events/types';
import { requireOptions } from './_args';
import { churnFeatures } from './churnFeatures';
import { type ChurnLabelsOptions, churnLabels, LABEL_OPTION_KEYS } from './churnLabels';
import { featureRows } from './featureRows';
import { type EventsOrTimelines, toChurnSource } from './toTimelines';
import type { ChurnRow } from './types';

/** Options of {@link buildChurnDataset}: those of `churnLabels` plus profiles. */
export interface BuildChurnDatasetOptions extends ChurnLabelsOptions {
  /** Profiles for `churnFeatures`. @default [] */
  profiles?: readonly CustomerProfile[];
}

/** Labelled rows at one asOf. */
export interface ChurnDataset {
  asOf: number;
  horizonEnd: number;
  /** One row per customer active at asOf: features from events at or before asOf, label from `(asOf, asOf + horizon]`. */
  rows: ChurnRow[];
  positives: number;
}

/**
 * Builds a labelled training or test set at one `asOf`: `churnLabels` (who is active at asOf and who
 * churns within the horizon) joined with `churnFeatures` (computed only from events at or before asOf).
 *
 * Missing-data policy: as `churnLabels` and `churnFeatures`; customers with no label are left out.
 *
 * @param events validated events, timelines, or an `EventStore` (read as columns, no event object).
 * @param options asOf, horizon, definition, profiles.
 * @returns rows `{ customerId, features, churned }` in customer-id order.
 * @throws as `churnLabels`.
 * @example
 * ```ts
 * const { rows, positives } = buildChurnDataset(events, { asOf: '2025-06-01', horizon: 60 });
 * rows.length; // => 162, positives => 14
 * ```
 */
export function buildChurnDataset(
  events: EventsOrTimelines,
  options: BuildChurnDatasetOptions,
): ChurnDataset {
  requireOptions('buildChurnDataset', options);
  checkOptions('buildChurnDataset', options, [...LABEL_OPTION_KEYS, 'profiles']);
  const source = toChurnSource(events, 'buildChurnDataset');
  const { profiles: _profiles, ...labelOptions } = options;
  const labels = churnLabels(source, labelOptions);
  const feats = churnFeatures(source, { asOf: labels.asOf, profiles: options.profiles ?? [] });
  const frows = featureRows(feats);
  const byId = new Map<string, number>();
  feats.customerIds.forEach((id, i) => {
    byId.set(id, i);
  });
  const rows: ChurnRow[] = [];
  labels.customerIds.forEach((id, i) => {
    const k = byId.get(id);
    if (k === undefined) return;
    rows.push({
      customerId: id,
      features: (frows[k] as { features: ChurnRow['features'] }).features,
      churned: labels.churned[i] === 1,
    });
  });
  let positives = 0;
  for (const r of rows) if (r.churned) positives++;
  return { asOf: labels.asOf, horizonEnd: labels.horizonEnd, rows, positives };
}
