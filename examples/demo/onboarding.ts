import { acquisitionMetrics } from '../../src/acquisition/index';
import { onboardingProgress } from '../../src/onboarding/index';
import { generateOnboardingEvents } from '../../src/sample/index';
import { type DemoContext, heading } from './context';

/** Demo section for customer-vitals/onboarding and /acquisition. */
export function run(ctx: DemoContext): void {
  heading(ctx, 'onboarding and acquisition');
  const s = generateOnboardingEvents({ customers: 1500, seed: 23 });
  const asOf = Date.UTC(2025, 6, 15);
  const r = onboardingProgress(s.events, { milestones: [...s.milestones], asOf });
  const all = r.cohorts.at(-1);
  ctx.print(
    `Onboarding as of 2025-07-15: ${all?.n} sign-ups, ${r.stalled} stalled (no new milestone in 14 days, within 90 days of signup).`,
  );
  ctx.print(`  funnel: ${all?.funnel.map((f) => `${f.label} ${(f.share * 100).toFixed(0)}%`).join(' → ')}`);
  const tv = all?.timeToValue;
  const share30 = tv ? tv.reachedShare[tv.days.filter((d) => d <= 30).length - 1] : undefined;
  ctx.print(
    `  time to value (integration connected), Kaplan–Meier with the not-yet-connected censored: ${share30 === undefined ? 'n/a' : `${(share30 * 100).toFixed(0)}%`} by day 30, median ${tv?.medianDays === null ? 'not reached' : `${tv?.medianDays?.toFixed(0)} days`}`,
  );
  const stalled = r.customers.find((c) => c.stalled);
  if (stalled) ctx.print(`  e.g. ${stalled.customerId}: ${stalled.reason}`);

  // Acquisition economics: sign-ups by channel, subscriptions when integration is connected, spend per month.
  const events = [
    ...s.events,
    ...s.truth
      .filter((t) => t.steps[2] !== null)
      .map((t) => ({
        customerId: t.customerId,
        type: 'subscription_started',
        timestamp: t.steps[2] as number,
        value: 120,
      })),
  ];
  const spend = ['2025-01', '2025-02', '2025-03'].flatMap((period) => [
    { period, channel: 'ads', amount: 9000 },
    { period, channel: 'seo', amount: 2500 },
    { period, channel: 'partners', amount: 4000 },
  ]);
  const acq = acquisitionMetrics(events, { spend, asOf, grossMargin: 0.8 });
  ctx.print('Acquisition, Q1 2025 (customers acquired when they subscribe):');
  for (const c of acq.cells.filter((c) => c.spend > 0))
    ctx.print(
      `  ${c.period} ${c.channel.padEnd(9)} spend ${c.spend.toFixed(0).padStart(5)}  new ${String(c.newCustomers).padStart(3)}  CAC ${c.cac === null ? 'n/a' : c.cac.toFixed(0)}  payback ${c.paybackMonths === null ? 'n/a' : `${c.paybackMonths.toFixed(1)} months`}`,
    );
  for (const w of acq.warnings) ctx.print(`  warning ${w.code}: ${w.message}`);
}
