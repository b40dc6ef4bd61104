/**
 * Churn labels read straight from an {@link EventStore}'s columns (#13): the same rule as the
 * event-object path of `churnLabels`, on type codes and the time column, building no event object.
 * Private to the churn module.
 * @module
 */
import type { EventStore } from '../store/EventStore';
import type { ChurnDefinition } from './churnLabels';

const SUB_START = new Set(['subscription_started', 'subscription_changed', 'subscription_renewed']);
const F_SUB_START = 1;
const F_CANCEL = 2;
const F_ACTIVITY = 4;

/** What the label rule reads from an event type: a bit set of F_SUB_START, F_CANCEL, F_ACTIVITY. @internal */
export function labelFlags(type: string, activity: ReadonlySet<string>): number {
  let f = 0;
  if (SUB_START.has(type)) f |= F_SUB_START;
  else if (type === 'subscription_cancelled') f |= F_CANCEL;
  if (activity.has(type)) f |= F_ACTIVITY;
  return f;
}

/**
 * One customer's label state, fed its events in time order up to the horizon end (the one rule of
 * both paths: events at or before asOf decide who is active, events in `(asOf, end]` the label).
 * A fresh one per customer: the field initializers are the starting values. @internal
 */
export class LabelState {
  lastSubStart = Number.NEGATIVE_INFINITY;
  lastCancel = Number.NEGATIVE_INFINITY;
  hasSub = false;
  lastActivity = Number.NEGATIVE_INFINITY;
  cancelInWindow = false;
  activityInWindow = false;

  /** One event at time `t` (at most the horizon end) with its {@link labelFlags}. */
  see(t: number, f: number, asOf: number): void {
    if (t <= asOf) {
      if ((f & F_SUB_START) !== 0) {
        this.hasSub = true;
        this.lastSubStart = t;
      } else if ((f & F_CANCEL) !== 0) {
        this.hasSub = true;
        this.lastCancel = t;
      }
      if ((f & F_ACTIVITY) !== 0) this.lastActivity = t;
    } else {
      if ((f & F_CANCEL) !== 0) this.cancelInWindow = true;
      if ((f & F_ACTIVITY) !== 0) this.activityInWindow = true;
    }
  }

  /**
   * The label after the last event: -1 when the customer is not active at asOf (not labelled),
   * else `churned` (0/1), plus 2 when the contractual definition applied.
   */
  outcome(definition: ChurnDefinition, activeFrom: number): number {
    const contractual = definition === 'contractual' || (definition === 'auto' && this.hasSub);
    if (contractual) {
      // Subscribed at asOf: the latest subscription event before asOf is not a cancellation.
      const ls = this.lastSubStart;
      if (!(ls > Number.NEGATIVE_INFINITY && ls >= this.lastCancel)) return -1;
      return 2 + (this.cancelInWindow ? 1 : 0);
    }
    const la = this.lastActivity;
    if (!(la >= activeFrom && la > Number.NEGATIVE_INFINITY)) return -1;
    return this.activityInWindow ? 0 : 1;
  }
}

/** One customer's label (`churned` 0/1, `contractual`), or nothing when not active at asOf. */
export interface StoreLabelSink {
  push(c: number, churned: number, contractual: boolean): void;
}

/**
 * Labels every store customer active at `asOf` (ascending ids): rows at or before asOf decide who is
 * active, rows in `(asOf, end]` decide the label, later rows are not read. The rule is
 * {@link LabelState}'s, as for event objects in churnLabels.ts, read from columns. @internal
 */
export function storeLabels(
  store: EventStore,
  asOf: number,
  end: number,
  definition: ChurnDefinition,
  activity: ReadonlySet<string>,
  activeFrom: number,
  sink: StoreLabelSink,
): void {
  const { time, typeCode, offsets, types } = store;
  const flags = new Uint8Array(types.length);
  for (let k = 0; k < types.length; k++) flags[k] = labelFlags(types[k] as string, activity);
  const m = store.customerIds.length;
  for (let c = 0; c < m; c++) {
    const lo = offsets[c] as number;
    const hi = offsets[c + 1] as number;
    const st = new LabelState();
    for (let r = lo; r < hi; r++) {
      const t = time[r] as number;
      if (t > end) break;
      st.see(t, flags[typeCode[r] as number] as number, asOf);
    }
    const o = st.outcome(definition, activeFrom);
    if (o >= 0) sink.push(c, o & 1, o >= 2);
  }
}
