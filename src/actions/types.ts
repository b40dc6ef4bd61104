import type { CompiledCondition, RuleCondition } from '../_lib/rules';
import type { VitalsWarning } from '../types';

/** One play of a playbook, as users write it (JSON). */
export interface PlaybookPlayInput {
  /** Stable id of the play, unique in the playbook (`billing_update`). */
  id: string;
  /** When the play applies to a customer: a condition in the rule language over the customer record. */
  when: RuleCondition;
  /** The action to take, as it will be logged in `cs_action` events' `properties.action`. */
  action: string;
  /** Who does it (`csm`, `billing`, `support`, `account_exec`, ...). */
  owner: string;
  /** Days from `asOf` by which the action is due. @default 7 */
  dueDays?: number;
  /** Why, in words, shown first in the explanation (`2 failed payments`). @default the condition text */
  reason?: string;
  /** Tie-breaker when two plays have the same value at stake (higher first). @default 0 */
  priority?: number;
}

/** A playbook as users write it: `{ plays: [...] }`. */
export interface PlaybookInput {
  /** Name of the playbook, for reports. @default 'playbook' */
  name?: string;
  plays: readonly PlaybookPlayInput[];
}

/** A compiled play (output of `parsePlaybook`). */
export interface PlaybookPlay {
  id: string;
  when: CompiledCondition;
  action: string;
  owner: string;
  dueDays: number;
  reason: string;
  priority: number;
}

/** A validated, compiled playbook. */
export interface Playbook {
  name: string;
  plays: PlaybookPlay[];
  /** Every customer field the plays read (dotted paths), for `dataUsed`. */
  fields: string[];
}

/** Warning codes of `recommendActions`. */
export type RecommendWarningCode = 'no_value_basis' | 'no_probability' | 'duplicate_customer';

/** One recommended action for one customer. */
export interface RecommendedAction {
  playId: string;
  action: string;
  owner: string;
  /** Due instant (epoch ms): `asOf + dueDays`. */
  dueAt: number;
  /** Churn probability × value (see `basis`); null when either is unknown. */
  valueAtStake: number | null;
  /** What the value is: `clv`, `mrr` (× `mrrMonths`) or `none`. */
  basis: 'clv' | 'mrr' | 'none';
  /** "2 failed payments → update billing details; $4,200 CLV at 64% risk". */
  explanation: string;
}

/** The actions for one customer, best first. */
export interface CustomerActions {
  customerId: string;
  /** The largest value at stake among the actions (null when none is known). */
  valueAtStake: number | null;
  actions: RecommendedAction[];
}

/** Result of `recommendActions`. */
export interface RecommendActionsResult {
  /** Customers with at least one matching play, by value at stake (unknown last), then id. */
  customers: CustomerActions[];
  /** How many customers each play matched, by play id. */
  matched: Map<string, number>;
  /** Fields of the customer records the playbook read. */
  dataUsed: string[];
  warnings: VitalsWarning<RecommendWarningCode>[];
}

/** One customer's state at an instant, as the comparison for `actionEffect` needs it. */
export interface CustomerState {
  customerId: string;
  /** When the state was measured (Date, ISO string or epoch ms). */
  at: number | string | Date;
  /** Health band at the time (`healthy`, `watch`, `at_risk`, ...). */
  band: string;
  /** Churn probability at the time, in [0, 1]. */
  churnProbability: number;
}

/** Warning codes of `actionEffect`. */
export type ActionEffectWarningCode =
  | 'unmatched_treated'
  | 'few_treated'
  | 'few_controls'
  | 'no_state'
  | 'incomplete_follow_up';

/** One stratum of the comparison. */
export interface EffectStratum {
  band: string;
  /** Probability bin `[lo, hi)` (the last bin includes 1). */
  bin: [number, number];
  treated: number;
  treatedEvents: number;
  controls: number;
  controlEvents: number;
  /** Treated minus control outcome rate; null when one side is empty. */
  difference: number | null;
}

/** Result of `actionEffect`. */
export interface ActionEffectResult {
  action: string;
  /** Outcome event type counted within the horizon (default `subscription_cancelled`). */
  outcome: string;
  horizonDays: number;
  /**
   * Stratified risk difference (treated − comparable untreated) in the outcome rate within the
   * horizon, averaged over the treated (ATT); negative = the action lowered churn. Null + reason
   * when no stratum has both treated and untreated customers.
   */
  effect: number | null;
  /** 95% interval of `effect` (normal approximation), or null. */
  interval: [number, number] | null;
  /** Standard error of `effect`, or null. */
  standardError: number | null;
  /** Two-sided p-value of "no effect", or null. */
  pValue: number | null;
  /** Outcome rates of the matched treated and their stratum-weighted controls. */
  treatedRate: number | null;
  controlRate: number | null;
  /** Unadjusted difference (all treated vs all controls), to show how much the adjustment moved it. */
  naiveEffect: number | null;
  /** Treated customers with a state and complete follow-up; and those inside strata with controls. */
  treated: number;
  matchedTreated: number;
  controls: number;
  strata: EffectStratum[];
  reason: string | null;
  /** How the estimate was made, in words. */
  method: string;
  /** The observational caveat, in words. */
  caveat: string;
  dataUsed: string[];
  warnings: VitalsWarning<ActionEffectWarningCode>[];
}
