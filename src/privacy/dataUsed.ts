import { didYouMean } from '../_lib/closest';
import { ValidationError } from '../_lib/errors';
import { showValue } from '../_lib/safe';

/** Modules whose data needs are listed in {@link DATA_USED}. */
export type PrivacyModule =
  | 'metrics'
  | 'health'
  | 'churn'
  | 'clv'
  | 'segment'
  | 'sentiment'
  | 'actions'
  | 'fairness';

/** What one module reads from events: the event types, the top-level fields and the properties. */
export interface ModuleDataNeeds {
  /** Event types it reads (`'*'`: any type). */
  types: readonly string[] | '*';
  /** Top-level event fields it reads. */
  fields: readonly string[];
  /** `properties` keys it reads. */
  properties: readonly string[];
  /** What is personal about it, in words. */
  note: string;
}

const SUBSCRIPTION = [
  'subscription_started',
  'subscription_changed',
  'subscription_renewed',
  'subscription_cancelled',
];
const ACTIVITY = ['login', 'session', 'feature_used'];
const SURVEYS = ['nps_response', 'csat_response', 'ces_response'];
const TICKETS = ['ticket_opened', 'ticket_first_response', 'ticket_resolved'];
const BILLING = ['invoice_paid', 'payment_failed', 'seats_changed'];

/**
 * What each module reads from events (with the built-in scorecards and default options), for
 * `minimise` and for stating what personal data an analysis touched. A custom health scorecard,
 * churn feature or segment rule can read more: pass those properties to `minimise`'s
 * `keepProperties`.
 */
export const DATA_USED: Readonly<Record<PrivacyModule, ModuleDataNeeds>> = {
  metrics: {
    types: [...SUBSCRIPTION, ...ACTIVITY, ...SURVEYS, ...TICKETS, 'seats_changed', 'purchase', 'refund'],
    fields: ['customerId', 'type', 'timestamp', 'value'],
    properties: ['userId', 'ticketId', 'feature'],
    note: 'customer id, user id (active users, stickiness), amounts, survey scores',
  },
  health: {
    types: [...SUBSCRIPTION, ...ACTIVITY, ...SURVEYS, ...TICKETS, ...BILLING, 'purchase', 'refund'],
    fields: ['customerId', 'type', 'timestamp', 'value'],
    properties: ['userId', 'ticketId', 'feature', 'priority'],
    note: 'customer id, user id (active users), usage, payments, tickets, survey scores',
  },
  churn: {
    types: [
      ...SUBSCRIPTION,
      ...ACTIVITY,
      ...BILLING,
      'nps_response',
      'csat_response',
      'ticket_opened',
      'ticket_resolved',
      'purchase',
      'refund',
    ],
    fields: ['customerId', 'type', 'timestamp', 'value'],
    properties: ['plan', 'userId', 'feature'],
    note: 'customer id, usage, payments, plan, tickets, survey scores',
  },
  clv: {
    types: ['purchase', 'refund'],
    fields: ['customerId', 'type', 'timestamp', 'value'],
    properties: [],
    note: 'customer id, purchase dates and amounts',
  },
  segment: {
    types: [
      'purchase',
      'refund',
      'subscription_started',
      'subscription_cancelled',
      'invoice_paid',
      ...SURVEYS,
    ],
    fields: ['customerId', 'type', 'timestamp', 'value'],
    properties: ['plan'],
    note: 'customer id, purchases, subscription status, survey scores',
  },
  sentiment: {
    types: ['feedback', ...SURVEYS],
    fields: ['customerId', 'type', 'timestamp', 'value'],
    properties: ['text', 'comment'],
    note: 'free text written by customers: may contain names, emails or other personal data',
  },
  actions: {
    types: ['cs_action', 'subscription_started', 'subscription_cancelled'],
    fields: ['customerId', 'type', 'timestamp'],
    properties: ['action'],
    note: 'customer id, actions taken and cancellations (plus the states you pass)',
  },
  fairness: {
    types: [],
    fields: [],
    properties: [],
    note: 'no events: predictions, outcomes and the sensitive group labels you pass',
  },
};

const MODULES = Object.keys(DATA_USED) as PrivacyModule[];

/** Checks a list of module names, with "did you mean" for typos. */
export function checkModules(fn: string, modules: unknown, field: string): PrivacyModule[] {
  if (!Array.isArray(modules) || modules.length === 0)
    throw new ValidationError(fn, [
      {
        path: [field],
        code: 'required',
        message: `option "${field}" must be a non-empty array of modules (${MODULES.join(', ')})`,
      },
    ]);
  const issues = modules.flatMap((m, i) =>
    typeof m === 'string' && Object.hasOwn(DATA_USED, m)
      ? []
      : [
          {
            path: [field, i],
            code: 'unknown_key' as const,
            // Never String() a hostile value (an object without a primitive form, a symbol).
            message:
              typeof m === 'string'
                ? `unknown module "${m.slice(0, 40)}"${didYouMean(m, MODULES)}`
                : `a module must be a name (${MODULES.join(', ')}), got ${showValue(m)}`,
          },
        ],
  );
  if (issues.length > 0) throw new ValidationError(fn, issues);
  return modules as PrivacyModule[];
}

/**
 * The event fields a set of modules reads, as a sorted list of paths (`customerId`, `timestamp`,
 * `properties.userId`, ...) plus the event types: what to state when asked which personal data an
 * analysis touched. Module results that take events also carry their own `dataUsed`.
 *
 * Missing-data policy: none (a pure lookup).
 *
 * @param modules module names (see {@link DATA_USED}).
 * @returns the union of the modules' fields and event types, and each module's note.
 * @throws ValidationError for an unknown module name (with the closest one).
 * @example
 * ```ts
 * dataUsed(['clv']);
 * // => { fields: ['customerId', 'timestamp', 'type', 'value'], types: ['purchase', 'refund'], notes: { clv: 'customer id, purchase dates and amounts' } }
 * ```
 */
export function dataUsed(modules: readonly PrivacyModule[]): {
  fields: string[];
  types: string[] | '*';
  notes: Record<string, string>;
} {
  const list = checkModules('dataUsed', modules, 'modules');
  const fields = new Set<string>();
  let types: Set<string> | '*' = new Set();
  const notes: Record<string, string> = {};
  for (const m of list) {
    const d = DATA_USED[m];
    for (const f of d.fields) fields.add(f);
    for (const p of d.properties) fields.add(`properties.${p}`);
    if (d.types === '*') types = '*';
    else if (types !== '*') for (const t of d.types) types.add(t);
    notes[m] = d.note;
  }
  return { fields: [...fields].sort(), types: types === '*' ? '*' : [...types], notes };
}
