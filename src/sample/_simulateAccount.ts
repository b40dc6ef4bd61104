/**
 * One simulated account of `generateSaasEvents` (private): its traits drawn from its own random
 * stream, then day by day its usage, tickets, surveys, billing, decline and cancellation.
 * @module
 */
import { addMonths } from 'date-fns/addMonths';
import type { Rng } from '../_lib/random';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, UTC } from '../_lib/time';
import type { EventInput, ProfileInput } from '../events/types';
import type { SaasTruth } from './types';

const FEATURES = [
  'dashboards',
  'reports',
  'alerts',
  'exports',
  'integrations',
  'workflows',
  'api',
  'sso',
  'mobile',
  'ai_assist',
] as const;

interface PlanSpec {
  name: string;
  share: number;
  mrr: [number, number];
  seats: [number, number];
  users: [number, number];
  annual: boolean;
  riskFactor: number;
}
const PLANS: readonly PlanSpec[] = [
  {
    name: 'starter',
    share: 0.45,
    mrr: [29, 99],
    seats: [2, 5],
    users: [1, 3],
    annual: false,
    riskFactor: 1.4,
  },
  {
    name: 'growth',
    share: 0.35,
    mrr: [199, 599],
    seats: [5, 15],
    users: [2, 6],
    annual: false,
    riskFactor: 1.0,
  },
  {
    name: 'enterprise',
    share: 0.2,
    mrr: [1500, 6000],
    seats: [15, 60],
    users: [4, 10],
    annual: true,
    riskFactor: 0.6,
  },
];
const INDUSTRIES = ['software', 'retail', 'finance', 'health', 'education', 'media'];
const REGIONS = ['emea', 'na', 'apac', 'latam'];

const POSITIVE_COMMENTS = [
  'Love the dashboards, saves my team hours every week.',
  'Great support, fast and helpful answers.',
  'The reports are excellent and easy to share.',
  'Really happy with the product, it keeps getting better.',
  'Smooth onboarding and a clean interface. Recommended!',
];
const NEUTRAL_COMMENTS = [
  'It does the job.',
  'Decent tool, a few rough edges in exports.',
  'OK overall, the mobile app could be better.',
];
const NEGATIVE_COMMENTS = [
  'Too slow and buggy lately, we are frustrated.',
  'Support took days to answer, very disappointing.',
  'Too expensive for what we actually use.',
  'Integrations keep breaking, this is a serious problem.',
  'Confusing interface, my team hates the new workflow.',
];

const clampInt = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(x)));
const between = (rng: Rng, [lo, hi]: [number, number]) => lo + rng.next() * (hi - lo);

function pickPlan(rng: Rng): PlanSpec {
  let u = rng.next();
  for (const p of PLANS) {
    if (u < p.share) return p;
    u -= p.share;
  }
  return PLANS[PLANS.length - 1] as PlanSpec;
}

/** One simulated account: its fixed traits, its output, and the state the days change. */
interface Account {
  id: string;
  rng: Rng;
  plan: PlanSpec;
  engagement: number;
  risk: number;
  nUsers: number;
  userActivity: number[];
  signupDay: number;
  /** Features the account uses when healthy. */
  breadth: number;
  emit: (type: string, t: number, value?: number, properties?: Record<string, unknown>) => void;
  truth: SaasTruth;
  mrr: number;
  seats: number;
  active: boolean;
  /** Day indexes (-1: none). */
  declineStart: number;
  cancelDay: number;
  returnDay: number;
  termStart: number;
  nextBill: number;
  nextNps: number;
  ticketSeq: number;
  currentPlan: string;
}

/**
 * Simulates account `id` from `start` to `end` (exclusive), appending its events to `out` in the
 * order drawn; returns its profile as of `end` and its ground truth.
 */
export function simulateAccount(
  id: string,
  rng: Rng,
  start: number,
  end: number,
  out: EventInput[],
): { profile: ProfileInput; truth: SaasTruth } {
  const totalDays = Math.floor((end - start) / MS_PER_DAY);
  const a = newAccount(id, rng, start, end, totalDays, out);
  for (let d = a.signupDay; d < totalDays; d++) {
    const dayStart = start + d * MS_PER_DAY;
    const dow = new Date(dayStart).getUTCDay();
    const weekday = dow === 0 || dow === 6 ? 0.25 : 1;

    if (!a.active) {
      if (d === a.returnDay) reactivate(a, dayStart);
      else continue;
    }

    // Enter a decline?
    if (a.declineStart < 0 && rng.next() < a.risk / 30) {
      a.declineStart = d;
      a.cancelDay = d + 21 + rng.int(50);
      a.truth.declineStartedAt ??= dayStart;
    }
    const declining = a.declineStart >= 0;
    const progress = declining
      ? Math.min(1, (d - a.declineStart) / Math.max(1, a.cancelDay - a.declineStart))
      : 0;
    const usage = declining ? Math.max(0.03, (1 - progress) ** 1.5) : 1;

    if (declining && d >= a.cancelDay) {
      cancel(a, d, dayStart);
      continue;
    }
    simulateUsage(a, dayStart, weekday, declining, usage);
    simulateTicket(a, dayStart, declining);
    simulateSurveys(a, dayStart, declining);
    // Billing on the monthly anniversary (annual plans renew yearly but are invoiced monthly).
    if (dayStart + MS_PER_DAY > a.nextBill) simulateBilling(a, declining);
  }
  return { profile: finalProfile(a), truth: a.truth };
}

/** Draws the account's traits (plan, engagement, risk, signup, price, seats, users) and emits its start. */
function newAccount(
  id: string,
  rng: Rng,
  start: number,
  end: number,
  totalDays: number,
  out: EventInput[],
): Account {
  const plan = pickPlan(rng);
  const engagement = Math.max(0.05, rng.beta(3, 2));
  // Monthly hazard of starting a decline that ends in cancellation.
  const risk = Math.min(0.6, (0.008 + 0.22 * (1 - engagement) ** 2) * plan.riskFactor);
  // A third of accounts exist at the start; the rest sign up over the range (not in its last month).
  const signupDay = rng.next() < 0.35 ? 0 : rng.int(Math.max(1, totalDays - 30));
  const signupAt =
    start + signupDay * MS_PER_DAY + Math.floor(rng.next() * 10 * MS_PER_HOUR) + 8 * MS_PER_HOUR;
  const mrr = Math.round(between(rng, plan.mrr));
  const seats = Math.round(between(rng, plan.seats));
  const nUsers = Math.min(seats, Math.round(between(rng, plan.users)));
  const userActivity = Array.from({ length: nUsers }, () => 0.35 + 0.9 * rng.next());
  const breadth = 2 + Math.round(engagement * 6 + rng.next() * 2); // features the account uses when healthy
  let seq = 0;
  const emit = (type: string, t: number, value?: number, properties?: Record<string, unknown>) => {
    if (t >= end) return;
    const e: EventInput = { customerId: id, type, timestamp: Math.floor(t), eventId: `${id}-${seq++}` };
    if (value !== undefined) e.value = value;
    if (properties !== undefined) e.properties = properties;
    out.push(e);
  };
  const truth: SaasTruth = {
    customerId: id,
    plan: plan.name,
    engagement,
    risk,
    signupAt,
    declineStartedAt: null,
    churnedAt: null,
    reactivatedAt: null,
    cancellations: [],
  };

  emit('subscription_started', signupAt, mrr, { plan: plan.name });
  emit('seats_changed', signupAt + MS_PER_MINUTE, seats);
  return {
    id,
    rng,
    plan,
    engagement,
    risk,
    nUsers,
    userActivity,
    signupDay,
    breadth,
    emit,
    truth,
    mrr,
    seats,
    active: true,
    declineStart: -1,
    cancelDay: -1,
    returnDay: -1,
    termStart: signupAt,
    nextBill: addMonths(signupAt, 1, { in: UTC }).getTime(),
    nextNps: signupAt + (30 + rng.int(60)) * MS_PER_DAY,
    ticketSeq: 0,
    currentPlan: plan.name,
  };
}

/** A cancelled account returns on `returnDay`. */
function reactivate(a: Account, dayStart: number): void {
  a.active = true;
  a.declineStart = -1;
  a.cancelDay = -1;
  a.mrr = Math.round(between(a.rng, a.plan.mrr));
  const t = dayStart + 9 * MS_PER_HOUR + a.rng.int(8 * 60) * MS_PER_MINUTE;
  a.emit('subscription_started', t, a.mrr, { plan: a.currentPlan });
  a.truth.reactivatedAt ??= t;
  a.termStart = t;
  a.nextBill = addMonths(t, 1, { in: UTC }).getTime();
}

/** The decline ends in a cancellation (15% of first-time churners return 1–4 months later). */
function cancel(a: Account, d: number, dayStart: number): void {
  const { rng, truth } = a;
  const t = dayStart + 10 * MS_PER_HOUR + rng.int(6 * 60) * MS_PER_MINUTE;
  a.emit('subscription_cancelled', t, undefined, {
    reason: rng.pick(['too_expensive', 'not_using', 'missing_features', 'switched_competitor', 'support']),
  });
  truth.cancellations.push(t);
  truth.churnedAt ??= t;
  a.active = false;
  a.mrr = 0;
  a.returnDay = truth.reactivatedAt === null && rng.next() < 0.15 ? d + 30 + rng.int(90) : -1;
}

/** Product usage of one day: logins, feature use and sessions per user. */
function simulateUsage(
  a: Account,
  dayStart: number,
  weekday: number,
  declining: boolean,
  usage: number,
): void {
  const { id, rng, engagement, emit } = a;
  const featureLimit = declining ? Math.max(1, Math.round(a.breadth * usage)) : a.breadth;
  for (let u = 0; u < a.nUsers; u++) {
    const p = Math.min(0.95, 0.55 * engagement * (a.userActivity[u] as number) * weekday * usage);
    if (rng.next() >= p) continue;
    const userId = `${id}-u${u + 1}`;
    const t = dayStart + (7 + rng.int(12)) * MS_PER_HOUR + rng.int(60) * MS_PER_MINUTE;
    emit('login', t, undefined, { userId });
    const nFeatures = 1 + rng.poisson(0.5 + 1.5 * engagement * usage);
    for (let f = 0; f < nFeatures; f++) {
      const feature = FEATURES[Math.min(featureLimit - 1, rng.int(featureLimit))] as string;
      emit('feature_used', t + (f + 1) * 3 * MS_PER_MINUTE, 1, { feature, userId });
    }
    if (rng.next() < 0.5)
      emit('session', t + MS_PER_MINUTE, Math.round(5 + rng.exponential(1 / 20)), { userId });
  }
}

/** Support: maybe a ticket (response, resolution, reopening, CSAT and CES answers). */
function simulateTicket(a: Account, dayStart: number, declining: boolean): void {
  const { id, rng, engagement, emit } = a;
  const ticketRate = (0.008 + 0.03 * (1 - engagement)) * (declining ? 3 : 1) * (a.nUsers / 3);
  if (!(rng.next() < ticketRate)) return;
  const ticketId = `${id}-t${++a.ticketSeq}`;
  const high = rng.next() < (declining ? 0.4 : 0.12);
  const priority = high ? 'high' : rng.next() < 0.3 ? 'low' : 'normal';
  const opened = dayStart + (8 + rng.int(10)) * MS_PER_HOUR + rng.int(60) * MS_PER_MINUTE;
  emit('ticket_opened', opened, undefined, { ticketId, priority });
  const respondHours = Math.exp((high ? 0.5 : 2) + 0.8 * rng.normal());
  const firstResponse = opened + respondHours * MS_PER_HOUR;
  emit('ticket_first_response', firstResponse, undefined, { ticketId });
  const resolveHours = respondHours + Math.exp(3 + (declining ? 0.6 : 0) + 0.9 * rng.normal());
  const resolved = opened + resolveHours * MS_PER_HOUR;
  if (!(rng.next() < 0.97)) return;
  emit('ticket_resolved', resolved, undefined, { ticketId });
  let lastResolved = resolved;
  if (rng.next() < 0.06) {
    const reopened = resolved + (1 + rng.exponential(1 / 24)) * MS_PER_HOUR;
    emit('ticket_opened', reopened, undefined, { ticketId, priority });
    lastResolved = reopened + Math.exp(2.5 + 0.7 * rng.normal()) * MS_PER_HOUR;
    emit('ticket_resolved', lastResolved, undefined, { ticketId });
  }
  if (rng.next() < 0.45) {
    const score = clampInt(3.2 + 1.6 * engagement - (declining ? 1.3 : 0) + 0.8 * rng.normal(), 1, 5);
    emit('csat_response', lastResolved + 2 * MS_PER_HOUR, score, { ticketId });
  }
  if (rng.next() < 0.2) {
    const score = clampInt(4.5 - 2.5 * engagement + (declining ? 1.2 : 0) + 0.9 * rng.normal(), 1, 7);
    emit('ces_response', lastResolved + 3 * MS_PER_HOUR, score);
  }
}

/** NPS survey roughly every quarter (half of the accounts answer); feedback during a decline. */
function simulateSurveys(a: Account, dayStart: number, declining: boolean): void {
  const { rng, engagement, emit } = a;
  if (dayStart >= a.nextNps) {
    a.nextNps = dayStart + (80 + rng.int(20)) * MS_PER_DAY;
    if (rng.next() < 0.55) {
      const score = clampInt(4 + 6 * engagement - (declining ? 3 : 0) + 1.4 * rng.normal(), 0, 10);
      const t = dayStart + (9 + rng.int(9)) * MS_PER_HOUR;
      const bank = score >= 9 ? POSITIVE_COMMENTS : score >= 7 ? NEUTRAL_COMMENTS : NEGATIVE_COMMENTS;
      const comment = rng.next() < 0.5 ? rng.pick(bank) : undefined;
      emit('nps_response', t, score, comment === undefined ? undefined : { comment });
      if (comment !== undefined)
        emit('feedback', t + MS_PER_MINUTE, undefined, { text: comment, source: 'nps' });
    }
  }
  if (declining && rng.next() < 0.01) {
    emit('feedback', dayStart + 11 * MS_PER_HOUR, undefined, {
      text: rng.pick(NEGATIVE_COMMENTS),
      source: 'email',
    });
  }
}

/** The monthly invoice (maybe failed, then paid), the renewal, and plan changes at billing time. */
function simulateBilling(a: Account, declining: boolean): void {
  const { rng, engagement, plan, emit } = a;
  const t = a.nextBill;
  a.nextBill = addMonths(a.nextBill, 1, { in: UTC }).getTime();
  const failP = 0.015 + 0.05 * (1 - engagement) + (declining ? 0.15 : 0);
  if (rng.next() < failP) {
    emit('payment_failed', t, a.mrr, {
      reason: rng.pick(['card_declined', 'insufficient_funds', 'expired_card']),
    });
    if (rng.next() < 0.85) emit('invoice_paid', t + 3 * MS_PER_DAY, a.mrr);
  } else {
    emit('invoice_paid', t, a.mrr);
  }
  const termMonths = plan.annual ? 12 : 1;
  if (t >= addMonths(a.termStart, termMonths, { in: UTC }).getTime()) {
    a.termStart = t;
    emit('subscription_renewed', t + MS_PER_MINUTE, a.mrr, { plan: a.currentPlan });
  }
  // Plan changes at billing time.
  const up = rng.next() < (declining ? 0 : 0.035 * engagement);
  const down = !up && rng.next() < 0.01 + (declining ? 0.12 : 0.02 * (1 - engagement));
  if (up || down) {
    const factor = up ? 1.2 + 0.4 * rng.next() : 0.6 + 0.25 * rng.next();
    a.mrr = Math.max(10, Math.round(a.mrr * factor));
    a.seats = Math.max(1, Math.round(a.seats * factor));
    if (up && plan.name === 'starter' && rng.next() < 0.4) a.currentPlan = 'growth';
    emit('subscription_changed', t + 2 * MS_PER_MINUTE, a.mrr, {
      plan: a.currentPlan,
      direction: up ? 'upgrade' : 'downgrade',
    });
    emit('seats_changed', t + 3 * MS_PER_MINUTE, a.seats);
  }
}

/** The profile as of the end (renewal date while active; firmographics drawn last). */
function finalProfile(a: Account): ProfileInput {
  const { rng, plan } = a;
  const renewalDate = a.active
    ? addMonths(a.termStart, plan.annual ? 12 : 1, { in: UTC }).getTime()
    : undefined;
  const profile: ProfileInput = {
    customerId: a.id,
    signupDate: a.truth.signupAt,
    plan: a.currentPlan,
    mrr: a.mrr,
    seats: a.seats,
    attributes: {
      industry: rng.pick(INDUSTRIES),
      region: rng.pick(REGIONS),
      employees: Math.round(5 + rng.exponential(1 / (plan.name === 'enterprise' ? 800 : 60))),
    },
  };
  if (renewalDate !== undefined) profile.renewalDate = renewalDate;
  return profile;
}
