import { actionEffect, recommendActions } from '../../src/actions/index';
import { scoreHealth } from '../../src/health/index';
import { generateActionEvents } from '../../src/sample/index';
import { type DemoContext, heading } from './context';

/** Demo section for customer-vitals/actions: next-best actions and the measured effect of one. */
export function run(ctx: DemoContext): void {
  heading(ctx, 'actions');
  const health = scoreHealth(ctx.parsed.events, { asOf: ctx.asOf, profiles: ctx.profiles });
  const truth = new Map(ctx.saas.truth.map((t) => [t.customerId, t]));
  const mrr = new Map(ctx.profiles.map((p) => [p.customerId, p.mrr]));
  // The generator's true monthly risk stands in for a churn model's probability here.
  const customers = health
    .filter((h) => h.band !== null && !h.cancelled)
    .map((h) => ({
      customerId: h.customerId,
      band: h.band,
      score: h.score,
      churnProbability: Math.min(1, 3 * (truth.get(h.customerId)?.risk ?? 0)),
      mrr: mrr.get(h.customerId) ?? null,
    }));
  const playbook = {
    plays: [
      {
        id: 'rescue',
        when: 'band == red',
        reason: 'health is red',
        action: 'exec_call',
        owner: 'csm',
        dueDays: 3,
        priority: 1,
      },
      {
        id: 'check_in',
        when: { all: ['band == neutral', 'score < 60'] },
        reason: 'health slipping',
        action: 'check_in_call',
        owner: 'csm',
        dueDays: 14,
      },
    ],
  };
  const rec = recommendActions(customers, playbook, { asOf: ctx.asOf, currency: 'USD' });
  ctx.print(
    `Playbook with ${playbook.plays.length} plays: ${rec.customers.length} customers get an action (by value at stake = churn probability × 12 months of MRR).`,
  );
  for (const c of rec.customers.slice(0, 5))
    ctx.print(`  ${c.customerId}: ${c.actions[0]?.explanation} (owner ${c.actions[0]?.owner})`);
  for (const w of rec.warnings) ctx.print(`  warning ${w.code}: ${w.message}`);

  const s = generateActionEvents({ customers: 3000, seed: 17, effect: 0.4 });
  const eff = actionEffect(s.events, { action: 'success_call', states: s.states, asOf: s.end });
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} pts`);
  ctx.print(
    `Effect of "success_call" on 90-day churn (generated data, true effect on the treated ${pct(s.expectedEffect)}):`,
  );
  ctx.print(
    `  stratified estimate ${pct(eff.effect)} [95% ${pct(eff.interval?.[0] ?? null)}, ${pct(eff.interval?.[1] ?? null)}], ` +
      `${eff.matchedTreated} treated vs ${eff.controls} untreated; naive difference ${pct(eff.naiveEffect)} (confounded: riskier accounts get the call more often)`,
  );
  ctx.print(`  ${eff.caveat}`);
}
