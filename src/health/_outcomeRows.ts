/**
 * Scored snapshots with churn outcomes, shared by evaluateHealth and suggestWeights.
 * @module
 */
import { MS_PER_DAY } from '../_lib/time';
import { K } from './_eventColumns';
import { computeStates } from './_scoreEngine';
import type { CustomerState } from './healthTypes';
import type { HealthRun } from './scoreHealth';

/** One customer at one snapshot date, with its outcome. @internal */
export interface OutcomeRow {
  customerId: string;
  asOf: number;
  state: CustomerState;
  churned: boolean;
}

/**
 * For each snapshot: customers with an event at or before it and not cancelled at it; `churned`
 * when a cancellation falls in `(asOf, asOf + horizon days]`. Cancellations come from `outcomes`
 * when given, else from `subscription_cancelled` events. @internal
 */
export function outcomeRows(
  run: HealthRun,
  snapshots: readonly number[],
  horizonDays: number,
  outcomes: ReadonlyMap<string, readonly number[]> | undefined,
): OutcomeRow[] {
  const { groups, resolved, ctx } = run;
  const rows: OutcomeRow[] = [];
  for (const asOf of snapshots) {
    const end = asOf + horizonDays * MS_PER_DAY;
    for (const st of computeStates(groups, resolved.profiles, resolved.set, asOf, ctx)) {
      if (st.cancelled) continue;
      let churned = false;
      const given = outcomes?.get(st.customerId);
      if (outcomes !== undefined) {
        if (given !== undefined) for (const t of given) if (t > asOf && t <= end) churned = true;
      } else {
        const { ts, kind } = groups.cols;
        const hi = groups.offsets[st.group + 1] as number;
        for (let i = groups.offsets[st.group] as number; i < hi; i++) {
          const t = ts[i] as number;
          if (t > end) break;
          if (t > asOf && kind[i] === K.subCancelled) {
            churned = true;
            break;
          }
        }
      }
      rows.push({ customerId: st.customerId, asOf, state: st, churned });
    }
  }
  return rows;
}
