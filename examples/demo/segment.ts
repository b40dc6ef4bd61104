import type { CustomerEvent, CustomerTimeline } from '../../src/events/types';
import { scoreHealth } from '../../src/health/index';
import {
  type ClusterResult,
  clusterCustomers,
  customerFeedbackSentiment,
  lifecycleStage,
  rfmSegments,
  segmentByRules,
  valueTiers,
} from '../../src/segment/index';
import { type DemoContext, heading } from './context';

const DAY = 86_400_000;
const HORIZON_DAYS = 180;

/** Demo section for customer-vitals/segment. */
export function run(ctx: DemoContext): void {
  heading(ctx, 'segment');

  // --- RFM on the retail sample ---------------------------------------------------------------
  const retailAsOf = ctx.retail.end;
  const rfm = rfmSegments(ctx.retailParsed.events, { asOf: retailAsOf });
  ctx.print(
    `RFM segments, retail sample: ${rfm.n} customers as of ${day(retailAsOf)} (11 standard segments, R × FM grid)`,
  );
  ctx.print(
    `  ${'segment'.padEnd(20)}${'customers'.padStart(10)}${'share'.padStart(8)}${'revenue share'.padStart(15)}`,
  );
  for (const s of rfm.segments) {
    ctx.print(
      `  ${s.name.padEnd(20)}${String(s.count).padStart(10)}${pct(s.share).padStart(8)}${pct(s.monetaryShare).padStart(15)}`,
    );
  }
  const champion = rfm.customers.find((c) => c.segmentId === 'champions' && c.r === 5);
  if (champion) ctx.print(`  e.g. ${champion.customerId}: ${champion.reason}`);

  // --- SaaS: segments as of T, outcome over the next 6 months from the ground truth ------------
  const T = ctx.asOf - HORIZON_DAYS * DAY;
  const churnedNext = new Set(
    ctx.saas.truth
      .filter((t) => t.cancellations.some((c) => c > T && c <= T + HORIZON_DAYS * DAY))
      .map((t) => t.customerId),
  );
  const health = new Map<string, number>();
  for (const h of scoreHealth(ctx.timelines, { asOf: T, profiles: ctx.profiles })) {
    if (h.score !== null) health.set(h.customerId, h.score);
  }
  const mrr = new Map<string, number>();
  for (const [id, tl] of ctx.timelines) mrr.set(id, mrrAt(tl, T));

  const row = (name: string, ids: readonly string[], outcome = true) => {
    const total = [...mrr.values()].reduce((a, b) => a + b, 0);
    const m = ids.reduce((a, id) => a + (mrr.get(id) ?? 0), 0);
    const hs = ids.map((id) => health.get(id)).filter((h): h is number => h !== undefined);
    const churn = ids.filter((id) => churnedNext.has(id)).length;
    return (
      `  ${name.padEnd(40)}${String(ids.length).padStart(6)}${pct(total > 0 ? m / total : null).padStart(9)}` +
      `${(hs.length ? (hs.reduce((a, b) => a + b, 0) / hs.length).toFixed(0) : '–').padStart(8)}` +
      `${pct(outcome && ids.length ? churn / ids.length : null).padStart(9)}`
    );
  };
  const header = `  ${'segment'.padEnd(40)}${'size'.padStart(6)}${'MRR %'.padStart(9)}${'health'.padStart(8)}${'churn'.padStart(9)}`;
  const churnNote = `churn = cancelled within ${HORIZON_DAYS} days after ${day(T)} (ground truth)`;

  const life = lifecycleStage(ctx.timelines, { asOf: T, health, profiles: ctx.profiles });
  ctx.print('');
  ctx.print(`SaaS lifecycle stages as of ${day(T)}, ${life.customers.length} accounts; ${churnNote}`);
  ctx.print(header);
  for (const stage of ['trial', 'onboarding', 'adopting', 'mature', 'at_risk', 'churned'] as const) {
    const ids = life.customers.filter((c) => c.stage === stage).map((c) => c.customerId);
    if (ids.length > 0) ctx.print(row(stage, ids, stage !== 'churned'));
  }
  const risky = life.customers.find((c) => c.stage === 'at_risk');
  if (risky) ctx.print(`  e.g. ${risky.customerId}: ${risky.reason}`);

  // --- Behavioural clusters on usage features of the accounts active at T ----------------------
  const active = life.customers.filter((c) => c.stage !== 'churned').map((c) => c.customerId);
  const rows = active.map((id) => ({
    customerId: id,
    ...usageFeatures(ctx.timelines.get(id) as CustomerTimeline, T),
  }));
  const clusters: ClusterResult = clusterCustomers(rows, {
    kRange: [2, 6],
    seed: 42,
    labels: {
      logins: 'logins',
      minutes: 'usage time',
      features: 'feature use',
      tickets: 'support load',
      seats: 'seats',
    },
  });
  ctx.print('');
  ctx.print(
    `Behavioural clusters of the ${clusters.n} active accounts (k = ${clusters.k} by silhouette ` +
      `${clusters.silhouette?.toFixed(2)}; log-transformed: ${
        clusters.features
          .filter((f) => f.logTransformed)
          .map((f) => f.name)
          .join(', ') || 'none'
      })`,
  );
  ctx.print(header);
  for (const c of clusters.clusters) {
    ctx.print(
      row(
        c.name,
        clusters.customers.filter((x) => x.cluster === c.index).map((x) => x.customerId),
      ),
    );
  }

  // --- MRR value tiers -------------------------------------------------------------------------
  const activeMrr = new Map(active.map((id) => [id, mrr.get(id) ?? 0]));
  const tiers = valueTiers(activeMrr);
  const c20 = tiers.concentration.find((p) => p.customerShare === 0.2);
  ctx.print('');
  ctx.print(
    `MRR tiers: ${tiers.tiers.map((t) => `${t.name} ${t.count} (${pct(t.valueShare)} of MRR)`).join(', ')}; ` +
      `top 20% of accounts hold ${pct(c20?.valueShare ?? null)} of MRR, Gini ${tiers.gini?.toFixed(2)}`,
  );

  // --- Feedback sentiment + a JSON rule set ------------------------------------------------------
  const sentiment = customerFeedbackSentiment(ctx.timelines, { asOf: T, windowDays: 90 });
  const records = active.map((id) => ({
    customerId: id,
    health: { score: health.get(id) ?? null },
    mrr: mrr.get(id) ?? 0,
    feedback: { negative: sentiment.get(id)?.negative ?? 0 },
  }));
  const rules = {
    mode: 'first',
    default: 'Business as usual',
    segments: [
      { name: 'Rescue now: health < 60, MRR >= 300', when: { all: ['health.score < 60', 'mrr >= 300'] } },
      { name: 'Listen: negative feedback (90 days)', when: 'feedback.negative >= 1' },
      { name: 'Nurture: health < 70', when: { any: ['health.score < 70', 'health.score missing'] } },
    ],
  };
  const bySegment = segmentByRules(records, rules);
  ctx.print('');
  ctx.print(`Rule-based playbook segments (JSON rules, first match); ${churnNote}`);
  ctx.print(header);
  for (const name of bySegment.counts.keys()) {
    ctx.print(
      row(
        name,
        bySegment.customers.filter((c) => c.segment === name).map((c) => c.customerId),
      ),
    );
  }
  const listened = bySegment.customers.find((c) => c.segment?.startsWith('Listen'));
  const worst = listened ? sentiment.get(listened.customerId) : undefined;
  if (listened && worst) ctx.print(`  e.g. ${listened.customerId}: ${worst.reason}`);
}

function day(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

function pct(v: number | null): string {
  return v === null ? '–' : `${(v * 100).toFixed(1)}%`;
}

/** MRR as of `t`: value of the last subscription event (0 after a cancellation). */
function mrrAt(tl: CustomerTimeline, t: number): number {
  let v = 0;
  for (const e of tl.events) {
    if (e.timestamp > t) break;
    if (e.type === 'subscription_cancelled') v = 0;
    else if (e.type.startsWith('subscription_') && typeof e.value === 'number') v = e.value;
  }
  return v;
}

/** Usage features over the 30 days (tickets: 90 days) before `t`. */
function usageFeatures(tl: CustomerTimeline, t: number): Record<string, number> {
  let logins = 0;
  let minutes = 0;
  let features = 0;
  let tickets = 0;
  let seats = 0;
  for (const e of tl.events as readonly CustomerEvent[]) {
    if (e.timestamp > t) break;
    if (e.type === 'seats_changed' && typeof e.value === 'number') seats = e.value;
    if (e.timestamp > t - 90 * DAY && e.type === 'ticket_opened') tickets++;
    if (e.timestamp <= t - 30 * DAY) continue;
    if (e.type === 'login') logins++;
    else if (e.type === 'session') minutes += e.value ?? 0;
    else if (e.type === 'feature_used') features += e.value ?? 1;
  }
  return { logins, minutes, features, tickets, seats };
}
