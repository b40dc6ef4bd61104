import { MS_PER_DAY } from '../../src/_lib/time';
import { evaluateHealth, explainChange, healthHistory, scoreHealth } from '../../src/health/index';
import { type DemoContext, heading } from './context';

const r1 = (x: number | null) => (x === null ? 'n/a' : x.toFixed(1));

/** Demo section for customer-vitals/health: the ten riskiest customers with their drivers, bands, trend and accuracy. */
export function run(ctx: DemoContext): void {
  heading(ctx, 'health');
  const scores = scoreHealth(ctx.timelines, { asOf: ctx.asOf, profiles: ctx.profiles });
  const live = scores.filter((s) => !s.cancelled && s.score !== null);
  ctx.print(
    `Default scorecard as of ${new Date(ctx.asOf).toISOString().slice(0, 10)}: ${live.length} active customers scored ` +
      `(${scores.length - live.length} cancelled or without data left out).`,
  );
  const counts = new Map<string, number>();
  for (const s of live) counts.set(s.band as string, (counts.get(s.band as string) ?? 0) + 1);
  ctx.print('Band distribution:');
  for (const band of ['at risk', 'neutral', 'healthy']) {
    const n = counts.get(band) ?? 0;
    const bar = '#'.repeat(Math.round((60 * n) / Math.max(1, live.length)));
    ctx.print(
      `  ${band.padEnd(8)} ${String(n).padStart(4)}  ${((100 * n) / Math.max(1, live.length)).toFixed(1).padStart(5)}%  ${bar}`,
    );
  }

  const riskiest = [...live]
    .sort((a, b) => (a.score as number) - (b.score as number) || (a.customerId < b.customerId ? -1 : 1))
    .slice(0, 10);
  ctx.print('');
  ctx.print('Ten riskiest customers (score, band, coverage) and what drives them:');
  for (const s of riskiest) {
    ctx.print(
      `  ${s.customerId}  ${r1(s.score).padStart(5)}  ${(s.band as string).padEnd(8)} coverage ${(100 * s.coverage).toFixed(0)}%`,
    );
    for (const d of s.explanation.negative.slice(0, 3))
      ctx.print(`      ${r1(d.impact).padStart(6)}  ${d.sentence}`);
  }

  // Why did the riskiest customer's score move over the last 60 days? (true history, recomputed)
  const worst = riskiest[0];
  if (worst !== undefined) {
    const [h] = healthHistory(ctx.timelines, {
      from: ctx.asOf - 60 * MS_PER_DAY,
      to: ctx.asOf,
      every: 30,
      profiles: ctx.profiles,
    }).filter((x) => x.customerId === worst.customerId);
    const pts = h?.points ?? [];
    if (pts.length >= 2) {
      ctx.print('');
      ctx.print(
        `${worst.customerId} over 60 days: ${pts.map((p) => `${r1(p.score)}${p.direction === 'down' ? '↓' : p.direction === 'up' ? '↑' : ''}`).join(' → ')}`,
      );
      const change = explainChange(
        (pts[0] as (typeof pts)[number]).result,
        (pts[pts.length - 1] as (typeof pts)[number]).result,
      );
      ctx.print(`  ${change.summary}`);
    }
  }

  const ev = evaluateHealth(ctx.timelines, {
    asOf: ctx.asOf - 120 * MS_PER_DAY,
    horizon: 90,
    profiles: ctx.profiles,
  });
  ctx.print('');
  ctx.print(
    `Does it predict churn? Scored 120 days ago, ${ev.churned} of ${ev.n} customers cancelled within 90 days: ` +
      `ROC AUC ${ev.auc?.toFixed(3) ?? 'n/a'}, lowest decile churns ${r1(ev.lowestDecile.lift)}× the base rate; ` +
      `churn by band ${ev.bands.map((b) => `${b.band} ${b.churnRate === null ? 'n/a' : `${(100 * b.churnRate).toFixed(0)}%`}`).join(', ')}.`,
  );
}
