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

/** One customer's label (`churned` 0/1, `contractual`), or nothing when not active at asOf. */
export interface StoreLabelSink {
  push(c: number, churned: number, contractual: boolean): void;
}

/**
 * Labels every store customer active at `asOf` (ascending ids): rows at or before asOf decide who is
 * active, rows in `(asOf, end]` decide the label, later rows are not read. The rule is `labelOne`'s
 * in churnLabels.ts, read from columns. @internal
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
  for (let k = 0; k < types.length; k++) {
    const type = types[k] as string;
    let f = 0;
    if (SUB_START.has(type)) f |= F_SUB_START;
    else if (type === 'subscription_cancelled') f |= F_CANCEL;
    if (activity.has(type)) f |= F_ACTIVITY;
    flags[k] = f;
  }
  const m = store.customerIds.length;
  for (let c = 0; c < m; c++) {
    const lo = offsets[c] as number;
    const hi = offsets[c + 1] as number;
    let lastSubStart = Number.NEGATIVE_INFINITY;
    let lastCancel = Number.NEGATIVE_INFINITY;
    let hasSub = false;
    let lastActivity = Number.NEGATIVE_INFINITY;
    let cancelInWindow = false;
    let activityInWindow = false;
    for (let r = lo; r < hi; r++) {
      const t = time[r] as number;
      if (t > end) break;
      const f = flags[typeCode[r] as number] as number;
      if (t <= asOf) {
        if ((f & F_SUB_START) !== 0) {
          hasSub = true;
          lastSubStart = t;
        } else if ((f & F_CANCEL) !== 0) {
          hasSub = true;
          lastCancel = t;
        }
        if ((f & F_ACTIVITY) !== 0) lastActivity = t;
      } else {
        if ((f & F_CANCEL) !== 0) cancelInWindow = true;
        if ((f & F_ACTIVITY) !== 0) activityInWindow = true;
      }
    }
    const contractual = definition === 'contractual' || (definition === 'auto' && hasSub);
    if (contractual) {
      // Subscribed at asOf: the latest subscription event before asOf is not a cancellation.
      if (!(lastSubStart > Number.NEGATIVE_INFINITY && lastSubStart >= lastCancel)) continue;
      sink.push(c, cancelInWindow ? 1 : 0, true);
      continue;
    }
    if (!(lastActivity >= activeFrom && lastActivity > Number.NEGATIVE_INFINITY)) continue;
    sink.push(c, activityInWindow ? 0 : 1, false);
  }
}
