/**
 * `churnTrainingRows`' labelled snapshots as one table of columns (internal: the CLI's churn command
 * trains from it, building no row object). Private to the churn module.
 * @module
 */
import type { CustomerProfile } from '../events/types';
import { churnFeatures } from './churnFeatures';
import { churnLabels } from './churnLabels';
import { type ChurnHorizon, horizonStart } from './horizonEnd';
import type { ChurnSource } from './toTimelines';
import type { ChurnTrainingTable } from './types';

/** One snapshot's labelled customers: the feature table and, per labelled customer, its row in it. */
interface Snapshot {
  feats: ReturnType<typeof churnFeatures>;
  at: number[];
  churned: number[];
}

/**
 * The rows `churnTrainingRows(source, { asOf, horizon, profiles, windows })` returns, as a table:
 * the same customers in the same order (newest snapshot first, each in its labels' order), the same
 * cells (a column a snapshot lacks is missing there, as an absent key is in a row) and labels, so
 * `trainChurnModel` gives the same model bit for bit. Null when the rows path must run instead: a
 * horizon with no start, no labelled row or one class only (its error says why, with advice), or a
 * column that is numeric in one snapshot and text in another (its rows mix them).
 */
export function churnTrainingTable(
  source: ChurnSource,
  asOf: number,
  horizon: ChurnHorizon,
  profiles: readonly CustomerProfile[],
  windows = 3,
): ChurnTrainingTable | null {
  const snaps: Snapshot[] = [];
  let at = asOf;
  let n = 0;
  for (let k = 1; k <= windows; k++) {
    const s = horizonStart(at, horizon);
    if (s === null) return null;
    at = s;
    const labels = churnLabels(source, { asOf: at, horizon });
    const feats = churnFeatures(source, { asOf: at, profiles });
    const row = new Map<string, number>();
    feats.customerIds.forEach((id, i) => {
      row.set(id, i);
    });
    const snap: Snapshot = { feats, at: [], churned: [] };
    labels.customerIds.forEach((id, i) => {
      const r = row.get(id);
      if (r === undefined) return;
      snap.at.push(r);
      snap.churned.push(labels.churned[i] as number);
    });
    n += snap.at.length;
    snaps.push(snap);
  }
  const churned = new Uint8Array(n);
  let pos = 0;
  let off = 0;
  for (const s of snaps)
    for (const y of s.churned) {
      churned[off++] = y;
      pos += y;
    }
  if (n === 0 || pos === 0 || pos === n) return null;
  return concatenate(snaps, n, churned);
}

/** The snapshots' labelled rows, one after the other, as columns; null when a name changes kind. */
function concatenate(snaps: readonly Snapshot[], n: number, churned: Uint8Array): ChurnTrainingTable | null {
  const numeric = new Set<string>();
  const text = new Set<string>();
  for (const s of snaps) {
    for (const name of s.feats.names) numeric.add(name);
    for (const name of Object.keys(s.feats.categorical)) text.add(name);
  }
  for (const name of numeric) if (text.has(name)) return null;
  const columns: Record<string, Float64Array> = Object.create(null);
  const categorical: Record<string, (string | null)[]> = Object.create(null);
  for (const name of numeric) columns[name] = new Float64Array(n).fill(Number.NaN);
  for (const name of text) categorical[name] = new Array<string | null>(n).fill(null);
  let off = 0;
  for (const s of snaps) {
    const { feats, at } = s;
    for (const name of feats.names) {
      const src = feats.columns[name] as Float64Array;
      const mask = feats.missing[name];
      const out = columns[name] as Float64Array;
      // Masked cells stay NaN: missing, as the null a row holds there.
      for (let k = 0; k < at.length; k++) {
        const i = at[k] as number;
        if (mask === undefined || mask[i] !== 1) out[off + k] = src[i] as number;
      }
    }
    for (const name of Object.keys(feats.categorical)) {
      const src = feats.categorical[name] as (string | null)[];
      const out = categorical[name] as (string | null)[];
      for (let k = 0; k < at.length; k++) out[off + k] = src[at[k] as number] ?? null;
    }
    off += at.length;
  }
  return { columns, categorical, churned };
}
