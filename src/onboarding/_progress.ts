import { evaluateCondition, lookupPath } from '../_lib/rules';
import type { Milestone } from './parseMilestones';

/** An event record as milestones see it. */
export interface MilestoneEvent {
  type: string;
  timestamp: number;
  value?: number;
  properties?: Readonly<Record<string, unknown>>;
}

/**
 * When each milestone is reached: walks the events (sorted by time) from `start` to `asOf`
 * inclusive; returns one time per milestone, NaN when not reached.
 */
export function milestoneTimes(
  milestones: readonly Milestone[],
  events: readonly MilestoneEvent[],
  start: number,
  asOf: number,
): Float64Array {
  const out = new Float64Array(milestones.length).fill(Number.NaN);
  const counts = new Int32Array(milestones.length);
  const sets: (Set<unknown> | null)[] = milestones.map((m) => (m.distinct ? new Set() : null));
  let left = milestones.length;
  for (const e of events) {
    if (e.timestamp < start) continue;
    if (e.timestamp > asOf || left === 0) break;
    for (let k = 0; k < milestones.length; k++) {
      if (!Number.isNaN(out[k] as number)) continue;
      const m = milestones[k] as Milestone;
      if (!evaluateCondition(m.when, e)) continue;
      const set = sets[k];
      let c: number;
      if (set && m.distinct) {
        const v = lookupPath(e, m.distinct);
        if (v === undefined || v === null || typeof v === 'symbol') continue;
        set.add(v);
        c = set.size;
      } else {
        c = (counts[k] as number) + 1;
        counts[k] = c;
      }
      if (c >= m.count) {
        out[k] = e.timestamp;
        left--;
      }
    }
  }
  return out;
}
