import { auditFairness } from '../../src/fairness/index';
import { dataUsed, minimise } from '../../src/privacy/index';
import { type DemoContext, heading } from './context';

/** Demo section for customer-vitals/fairness and /privacy. */
export function run(ctx: DemoContext): void {
  heading(ctx, 'fairness and privacy');
  // Audit a churn-risk flag by region: the generator's true risk as the "model", churn as the outcome.
  const region = new Map(ctx.profiles.map((p) => [p.customerId, String(p.attributes?.region ?? '(none)')]));
  const probabilities: number[] = [];
  const outcomes: number[] = [];
  const groups: string[] = [];
  for (const t of ctx.saas.truth) {
    probabilities.push(Math.min(1, 3 * t.risk));
    outcomes.push(t.churnedAt === null ? 0 : 1);
    groups.push(region.get(t.customerId) ?? '(none)');
  }
  const audit = auditFairness({ probabilities, outcomes, groups }, { threshold: 0.3, minGroupSize: 30 });
  ctx.print(`Fairness audit of a risk flag (p ≥ 0.3) by region, reference "${audit.reference}":`);
  for (const g of audit.groups)
    ctx.print(
      `  ${g.group.padEnd(8)} n ${String(g.n).padStart(4)}  churn ${(100 * (g.baseRate ?? 0)).toFixed(0)}%  flagged ${(100 * (g.selectionRate ?? 0)).toFixed(0)}%  AUC ${g.auc === null ? 'n/a' : g.auc.toFixed(2)}${g.judged ? '' : '  (too small to judge)'}`,
    );
  const dp = audit.demographicParityDifference;
  if (dp)
    ctx.print(
      `  demographic-parity difference ${(dp.difference * 100).toFixed(1)} pts [${(dp.interval[0] * 100).toFixed(1)}, ${(dp.interval[1] * 100).toFixed(1)}]`,
    );
  ctx.print(
    audit.flags.length === 0
      ? '  no gap beyond the limits'
      : audit.flags.map((f) => `  flag: ${f.message}`).join('\n'),
  );

  const m = minimise(ctx.saas.events, { for: ['health'] });
  ctx.print(
    `Data minimisation for a health analysis: ${m.events.length.toLocaleString('en-US')} of ${ctx.saas.events.length.toLocaleString('en-US')} events kept; dropped fields: ${m.droppedFields.join(', ') || 'none'}.`,
  );
  ctx.print(
    `  a CLV analysis reads only: ${dataUsed(['clv']).fields.join(', ')} of ${dataUsed(['clv']).types.toString()} events`,
  );
}
