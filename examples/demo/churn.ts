import { backtest } from '../../src/churn/backtest';
import { buildChurnDataset } from '../../src/churn/buildChurnDataset';
import { churnFeatures } from '../../src/churn/churnFeatures';
import { churnLabels } from '../../src/churn/churnLabels';
import type { ChurnEvaluation } from '../../src/churn/evaluateChurnModel';
import { featureRows } from '../../src/churn/featureRows';
import { kaplanMeier } from '../../src/churn/kaplanMeier';
import { trainChurnModel } from '../../src/churn/trainChurnModel';
import type { ChurnRow } from '../../src/churn/types';
import { type DemoContext, heading } from './context';

const DAY = 86_400_000;
const HORIZON = 30;

const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`);
const num = (v: number | null, d = 3) => (v === null ? 'n/a' : v.toFixed(d));

function line(name: string, e: ChurnEvaluation): string {
  return (
    `  ${name.padEnd(9)} ROC AUC ${num(e.rocAuc)}  PR AUC ${num(e.prAuc)}  Brier ${num(e.brier, 4)}  ` +
    `top-10% lift ${num(e.top10.lift, 1)} (captures ${pct(e.top10.capture)})`
  );
}

/** Demo section for customer-vitals/churn: an out-of-time backtest, today's riskiest accounts, retention. */
export function run(ctx: DemoContext): void {
  heading(ctx, 'churn');
  const { timelines, profiles, asOf } = ctx;

  // 1. Honest measurement: train on the three months before the last month, test on that month.
  const testAsOf = asOf - HORIZON * DAY;
  ctx.print(
    `Backtest: predict ${HORIZON}-day cancellations from ${new Date(testAsOf).toISOString().slice(0, 10)}, ` +
      'trained on the three earlier 30-day windows (nothing after the test date is seen):',
  );
  const lr = backtest(timelines, { asOf: testAsOf, horizon: HORIZON, profiles });
  const tr = backtest(timelines, { asOf: testAsOf, horizon: HORIZON, profiles, model: 'trees' });
  ctx.print(
    `  ${lr.nTrain} training rows, ${lr.nTest} test accounts, ${lr.evaluation.positives} cancelled in the window`,
  );
  ctx.print(line('logistic', lr.evaluation));
  ctx.print(line('trees', tr.evaluation));

  // 2. Today's model: the same recipe with the latest fully observed windows, scoring every active account.
  const train: ChurnRow[] = [];
  for (let k = 1; k <= 3; k++) {
    train.push(
      ...buildChurnDataset(timelines, { asOf: asOf - k * HORIZON * DAY, horizon: HORIZON, profiles }).rows,
    );
  }
  const model = trainChurnModel(train);
  const active = new Set(churnLabels(timelines, { asOf, horizon: HORIZON }).customerIds);
  const rows = featureRows(churnFeatures(timelines, { asOf, profiles })).filter((r) =>
    active.has(r.customerId as string),
  );
  const scored = model.predict(rows, { maxReasons: 3 }).sort((a, b) => b.probability - a.probability);
  const bands = { high: 0, medium: 0, low: 0 };
  for (const p of scored) bands[p.band]++;
  ctx.print('');
  ctx.print(
    `Today (${new Date(asOf).toISOString().slice(0, 10)}): ${scored.length} active accounts, ` +
      `${bands.high} high / ${bands.medium} medium / ${bands.low} low risk; base rate ${pct(model.baseRate)} per ${HORIZON} days.`,
  );
  ctx.print('Riskiest accounts and why (points = change in churn probability):');
  for (const p of scored.slice(0, 5)) {
    ctx.print(`  ${p.customerId}  ${pct(p.probability).padStart(6)}  ${p.band}`);
    for (const r of p.reasons) ctx.print(`      ${r.sentence}`);
  }

  // 3. Retention curve by plan (Kaplan–Meier): signup → first cancellation, censored at asOf.
  const durations: number[] = [];
  const churned: number[] = [];
  const plans: string[] = [];
  for (const profile of ctx.profiles) {
    const tl = timelines.get(profile.customerId);
    if (tl === undefined) continue;
    const start = tl.ofType('subscription_started')[0]?.timestamp;
    if (start === undefined) continue;
    const cancel = tl.ofType('subscription_cancelled')[0]?.timestamp;
    durations.push(((cancel ?? asOf) - start) / (30.44 * DAY));
    churned.push(cancel === undefined ? 0 : 1);
    plans.push(profile.plan ?? 'unknown');
  }
  const km = kaplanMeier(durations, churned, { groups: plans });
  const at = (c: { times: number[]; survival: number[] }, m: number) => {
    let s = 1;
    for (let i = 0; i < c.times.length && (c.times[i] as number) <= m; i++) s = c.survival[i] as number;
    return pct(s);
  };
  ctx.print('');
  ctx.print('Retention by current plan (Kaplan–Meier, months since signup):');
  for (const [plan, c] of [['all', km] as const, ...km.groups]) {
    ctx.print(
      `  ${plan.padEnd(11)} n=${String(c.n).padStart(3)}  3 mo ${at(c, 3).padStart(6)}  6 mo ${at(c, 6).padStart(6)}  ` +
        `12 mo ${at(c, 12).padStart(6)}  median ${c.median === null ? 'not reached' : `${c.median.toFixed(1)} mo`}`,
    );
  }
}
