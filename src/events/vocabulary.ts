/**
 * The canonical event vocabulary: the event types every module understands, with what `value` and
 * `properties` mean for each. Other types are allowed and kept; modules ignore what they do not know.
 * @module
 */

/** Canonical event type names. */
export const EVENT_TYPES = {
  purchase: 'purchase',
  refund: 'refund',
  login: 'login',
  session: 'session',
  featureUsed: 'feature_used',
  subscriptionStarted: 'subscription_started',
  subscriptionChanged: 'subscription_changed',
  subscriptionRenewed: 'subscription_renewed',
  subscriptionCancelled: 'subscription_cancelled',
  invoicePaid: 'invoice_paid',
  paymentFailed: 'payment_failed',
  seatsChanged: 'seats_changed',
  ticketOpened: 'ticket_opened',
  ticketFirstResponse: 'ticket_first_response',
  ticketResolved: 'ticket_resolved',
  npsResponse: 'nps_response',
  csatResponse: 'csat_response',
  cesResponse: 'ces_response',
  feedback: 'feedback',
  csAction: 'cs_action',
  visit: 'visit',
  signup: 'signup',
  trialStarted: 'trial_started',
} as const;

/** Union of the canonical event type names. */
export type CanonicalEventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

/** What the canonical types mean; rendered as the vocabulary table in the README. */
export interface EventTypeSpec {
  type: CanonicalEventType;
  /** Meaning of `value`, or null when the type carries none. */
  value: string | null;
  /** Properties this type reads. */
  properties: string[];
  /** Constraint checked by `parseEvents`, in words. */
  rule: string | null;
  description: string;
}

/** Specification of every canonical type, in vocabulary-table order. */
export const EVENT_VOCABULARY: readonly EventTypeSpec[] = [
  {
    type: 'purchase',
    value: 'order amount (>= 0)',
    properties: [],
    rule: 'value required, finite, >= 0',
    description: 'A completed order (non-subscription revenue).',
  },
  {
    type: 'refund',
    value: 'refunded amount (>= 0)',
    properties: [],
    rule: 'value, when given, >= 0',
    description: 'Money returned to the customer.',
  },
  {
    type: 'login',
    value: null,
    properties: ['userId'],
    rule: null,
    description: 'A user of the account signed in.',
  },
  {
    type: 'session',
    value: 'duration in minutes (optional)',
    properties: ['userId'],
    rule: 'value, when given, >= 0',
    description: 'A usage session.',
  },
  {
    type: 'feature_used',
    value: 'count (optional, default 1)',
    properties: ['feature', 'userId'],
    rule: 'properties.feature required (string)',
    description: 'A product feature was used.',
  },
  {
    type: 'subscription_started',
    value: 'MRR after the change',
    properties: ['plan'],
    rule: 'value required, >= 0',
    description: 'A subscription began (or restarted after a cancellation).',
  },
  {
    type: 'subscription_changed',
    value: 'MRR after the change',
    properties: ['plan'],
    rule: 'value required, >= 0',
    description: 'Upgrade, downgrade or plan change.',
  },
  {
    type: 'subscription_renewed',
    value: 'MRR after renewal (optional)',
    properties: ['plan'],
    rule: 'value, when given, >= 0',
    description: 'A term renewed.',
  },
  {
    type: 'subscription_cancelled',
    value: null,
    properties: ['reason'],
    rule: null,
    description: 'The subscription ended; MRR becomes 0.',
  },
  {
    type: 'invoice_paid',
    value: 'amount paid',
    properties: ['invoiceId'],
    rule: 'value, when given, >= 0',
    description: 'An invoice was paid.',
  },
  {
    type: 'payment_failed',
    value: 'amount due (optional)',
    properties: ['invoiceId'],
    rule: null,
    description: 'A payment attempt failed.',
  },
  {
    type: 'seats_changed',
    value: 'seats purchased after the change',
    properties: [],
    rule: 'value required, integer >= 0',
    description: 'The number of licensed seats changed.',
  },
  {
    type: 'ticket_opened',
    value: null,
    properties: ['ticketId', 'priority'],
    rule: 'properties.ticketId required',
    description: 'A support ticket was opened (or reopened).',
  },
  {
    type: 'ticket_first_response',
    value: null,
    properties: ['ticketId'],
    rule: 'properties.ticketId required',
    description: 'Support first replied to a ticket.',
  },
  {
    type: 'ticket_resolved',
    value: null,
    properties: ['ticketId'],
    rule: 'properties.ticketId required',
    description: 'A ticket was resolved.',
  },
  {
    type: 'nps_response',
    value: 'score 0–10 (integer)',
    properties: ['comment'],
    rule: 'value required, integer 0..10',
    description: 'Net Promoter Score survey answer.',
  },
  {
    type: 'csat_response',
    value: 'score 1–5 (integer)',
    properties: ['comment', 'ticketId'],
    rule: 'value required, integer 1..5',
    description: 'Customer satisfaction survey answer.',
  },
  {
    type: 'ces_response',
    value: 'score 1–7 (integer)',
    properties: ['comment'],
    rule: 'value required, integer 1..7',
    description: 'Customer effort score answer (1 = very easy).',
  },
  {
    type: 'feedback',
    value: null,
    properties: ['text'],
    rule: 'properties.text required (string)',
    description: 'Free-text feedback.',
  },
  {
    type: 'cs_action',
    value: null,
    properties: ['action', 'owner'],
    rule: null,
    description: 'A customer-success action was taken (call, billing update, ...), for `actionEffect`.',
  },
  {
    type: 'visit',
    value: null,
    properties: ['channel'],
    rule: null,
    description: 'A prospect visited (site or store), for visit-to-purchase conversion.',
  },
  {
    type: 'signup',
    value: null,
    properties: ['channel'],
    rule: null,
    description: 'An account was created (acquisition channel in `properties.channel`).',
  },
  {
    type: 'trial_started',
    value: null,
    properties: ['channel'],
    rule: null,
    description: 'A free trial began, for trial-to-paid conversion.',
  },
];

/** Integer score ranges of the survey types. */
export const SURVEY_RANGES = {
  nps_response: { min: 0, max: 10 },
  csat_response: { min: 1, max: 5 },
  ces_response: { min: 1, max: 7 },
} as const;

/** Types whose event counts as product activity (used by engagement, health and churn). */
export const ACTIVITY_TYPES: ReadonlySet<string> = new Set(['login', 'session', 'feature_used']);
