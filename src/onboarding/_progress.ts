import { evaluateCondition, lookupPath } from '../_lib/rules';
import type { Milestone } from './parseMilestones';

/** An event record as milestones see it. */
export interface MilestoneEvent {
  type: string;
  timestamp: number;
  value?: number | undefined;
  properties?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * When each milestone is reached, event by event (events in time order, from the start on): `out`
 * holds one time per milestone, NaN when not reached. Fed by the event loop ({@link milestoneTimes})
 * or by a store's rows through one reused record. The result depends only on the events' times,
 * not on their order within one instant.
 */
export class MilestoneWalker {
  readonly out: Float64Array;
  private readonly counts: Int32Array;
  private readonly sets: (Set<unknown> | null)[];
  /** Milestones not reached yet. */
  left: number;

  constructor(private readonly milestones: readonly Milestone[]) {
    this.out = new Float64Array(milestones.length).fill(Number.NaN);
    this.counts = new Int32Array(milestones.length);
    this.sets = milestones.map((m) => (m.distinct ? new Set() : null));
    this.left = milestones.length;
  }

  reset(): void {
    this.out.fill(Number.NaN);
    this.counts.fill(0);
    for (const s of this.sets) s?.clear();
    this.left = this.milestones.length;
  }

  /** Adds one event (at or after the start, at or before asOf). */
  add(e: MilestoneEvent): void {
    const milestones = this.milestones;
    const out = this.out;
    for (let k = 0; k < milestones.length; k++) {
      if (!Number.isNaN(out[k] as number)) continue;
      const m = milestones[k] as Milestone;
      if (!evaluateCondition(m.when, e)) continue;
      const set = this.sets[k];
      let c: number;
      if (set && m.distinct) {
        const v = lookupPath(e, m.distinct);
        if (v === undefined || v === null || typeof v === 'symbol') continue;
        set.add(v);
        c = set.size;
      } else {
        c = (this.counts[k] as number) + 1;
        this.counts[k] = c;
      }
      if (c >= m.count) {
        out[k] = e.timestamp;
        this.left--;
      }
    }
  }
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
  const w = new MilestoneWalker(milestones);
  for (const e of events) {
    if (e.timestamp < start) continue;
    if (e.timestamp > asOf || w.left === 0) break;
    w.add(e);
  }
  return w.out;
}
