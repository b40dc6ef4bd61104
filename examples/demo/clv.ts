import { estimateClv } from '../../src/clv/index';
import { type DemoContext, heading } from './context';

/** Demo section for customer-vitals/clv: CLV of the retail sample with explanations and the value distribution. */
export function run(ctx: DemoContext): void {
  heading(ctx, 'clv');
  const events = ctx.retailParsed.events;
  const t0 = performance.now();
  const res = estimateClv(events, {
    asOf: ctx.retail.end,
    margin: 0.3,
    horizonMonths: 12,
    annualDiscountRate: 0.1,
    currency: 'USD',
  });
  const ms = performance.now() - t0;
  ctx.print(
    `estimateClv on ${res.customers.length} retail customers (${events.length} purchases) in ${ms.toFixed(0)} ms`,
  );
  ctx.print(`method: ${res.method} - ${res.reason}`);
  if (res.model) {
    const p = Object.entries(res.model.params)
      .map(([k, v]) => `${k}=${(v as number).toFixed(3)}`)
      .join(', ');
    const truth = ctx.retail.params;
    ctx.print(`purchase model: ${p}, log-likelihood ${res.model.logLikelihood.toFixed(1)}`);
    ctx.print(`  (generator truth: r=${truth.r}, alpha=${truth.alpha}, s=${truth.s}, beta=${truth.beta})`);
  }
  if (res.spendModel) {
    const g = res.spendModel.params;
    ctx.print(
      `spend model (Gamma-Gamma): p=${g.p.toFixed(2)}, q=${g.q.toFixed(2)}, gamma=${g.gamma.toFixed(2)}; ` +
        `mean spend per purchase $${(res.spendModel.expectedAverageValue() ?? 0).toFixed(2)}`,
    );
  }
  for (const w of res.warnings) ctx.print(`warning (${w.code}): ${w.message}`);
  ctx.print('');
  ctx.print('top customers by 12-month CLV (30% margin, 10%/year discount):');
  for (const c of res.customers.slice(0, 8)) {
    ctx.print(`  ${c.customerId}  $${(c.value ?? 0).toFixed(2).padStart(8)}  ${c.explanation}`);
  }
  const d = res.distribution;
  if (d.n > 0) {
    ctx.print('');
    ctx.print(
      `value distribution over ${d.n} customers: total $${(d.total ?? 0).toFixed(0)}, mean $${(d.mean ?? 0).toFixed(2)}, ` +
        `p10 $${(d.p10 ?? 0).toFixed(2)}, median $${(d.median ?? 0).toFixed(2)}, p90 $${(d.p90 ?? 0).toFixed(2)}, max $${(d.max ?? 0).toFixed(2)}`,
    );
    // Concentration: share of total value held by the top 10% of customers.
    const top = Math.max(1, Math.round(d.n / 10));
    let topSum = 0;
    for (const c of res.customers.slice(0, top)) topSum += c.value ?? 0;
    ctx.print(`top 10% of customers hold ${((topSum / (d.total || 1)) * 100).toFixed(0)}% of expected value`);
    // A small text histogram of values.
    const edges = [0, 1, 5, 10, 25, 50, 100, Number.POSITIVE_INFINITY];
    const counts = new Array<number>(edges.length - 1).fill(0);
    for (const c of res.customers) {
      const v = c.value ?? 0;
      for (let i = 0; i < edges.length - 1; i++) {
        if (v >= (edges[i] as number) && v < (edges[i + 1] as number)) {
          counts[i] = (counts[i] as number) + 1;
          break;
        }
      }
    }
    for (let i = 0; i < counts.length; i++) {
      const hi = edges[i + 1] as number;
      const label = Number.isFinite(hi) ? `$${edges[i]}-${hi}` : `$${edges[i]}+`;
      const n = counts[i] as number;
      ctx.print(`  ${label.padEnd(9)} ${String(n).padStart(5)} ${'#'.repeat(Math.round((n / d.n) * 60))}`);
    }
  }
  // A deliberately thin data set: the first 45 days show no dropout, and the result says so.
  const cut = ctx.retail.start + 45 * 86_400_000;
  const thin = estimateClv(
    events.filter((e) => e.timestamp <= cut),
    { asOf: cut, currency: 'USD' },
  );
  ctx.print('');
  ctx.print(`the same on the first 45 days only: ${thin.method} - ${thin.reason}`);
  for (const w of thin.warnings) ctx.print(`  warning (${w.code}): ${w.message}`);
  // One-time buyers: why the model choice matters.
  if (res.model) {
    ctx.print('');
    ctx.print('note: BG/NBD would call every one-time buyer certainly alive; Pareto/NBD and MBG/NBD do not.');
  }
}
