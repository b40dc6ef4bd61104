/**
 * Quick start for health scores: score customers with the default scorecard and read why, use a
 * JSON scorecard with a custom signal and an onboarding variant, follow a customer's true history,
 * explain a drop, raise alerts, and check how well the score predicts churn.
 * Run: npx tsx examples/health-quickstart.ts
 */
import { type CustomerTimeline, groupByCustomer, parseEvents, parseProfiles } from '../src/events/index';
import {
  defaultScorecard,
  evaluateHealth,
  explainChange,
  healthAlerts,
  healthHistory,
  parseScorecard,
  type Scorecard,
  scoreHealth,
  suggestWeights,
} from '../src/health/index';
import { generateSaasEvents } from '../src/sample/index';

const DAY = 86_400_000;
const sample = generateSaasEvents({ customers: 400, seed: 7 });
const timelines = groupByCustomer(parseEvents(sample.events).events);
const profiles = parseProfiles(sample.profiles).profiles;
const asOf = Date.parse('2025-09-01');

// 1. Default scorecard: score, band, coverage and the drivers, in words.
const scores = scoreHealth(timelines, { asOf, profiles }).filter((s) => !s.cancelled && s.score !== null);
const worst = [...scores].sort((a, b) => (a.score as number) - (b.score as number))[0];
if (worst !== undefined) {
  console.log(`${worst.customerId}: ${worst.explanation.summary}`);
  for (const d of worst.explanation.negative)
    console.log(`  ${d.impact.toFixed(1).padStart(5)} pts  ${d.sentence}`);
  for (const m of worst.measures.slice(0, 3)) {
    console.log(
      `  ${m.label}: value ${m.value}, score ${m.score?.toFixed(0)}, weight ${(m.effectiveWeight * 100).toFixed(1)}%, contribution ${m.contribution.toFixed(2)}`,
    );
  }
}

// 2. A scorecard as JSON, with a custom signal and an onboarding scorecard for the first 60 days.
const featureAdoption = (t: CustomerTimeline, ctx: { asOf: number }) => {
  const used = new Set<unknown>();
  for (const e of t.ofType('feature_used')) if (e.timestamp <= ctx.asOf) used.add(e.properties?.feature);
  return used.size === 0 ? null : used.size;
};
const onboarding: Scorecard = {
  id: 'onboarding',
  groups: [
    {
      id: 'activation',
      weight: 1,
      measures: [
        {
          id: 'adoption',
          signal: 'featuresEverUsed',
          weight: 2,
          curve: { type: 'step', thresholds: [2, 4], points: [20, 60, 100] },
        },
        {
          id: 'activeDays',
          signal: 'activeDays',
          days: 14,
          weight: 1,
          curve: { type: 'linear', worst: 0, best: 8 },
        },
      ],
    },
  ],
};
const set = parseScorecard(
  JSON.parse(
    JSON.stringify({
      rules: [{ when: { tenureDays: { max: 60 } }, scorecard: onboarding }],
      default: defaultScorecard,
    }),
  ),
  {
    signals: { featuresEverUsed: featureAdoption },
  },
);
const mixed = scoreHealth(timelines, {
  asOf,
  profiles,
  scorecard: set,
  signals: { featuresEverUsed: featureAdoption },
});
console.log(`\nscorecards used: ${[...new Set(mixed.map((s) => s.scorecard))].join(', ')}`);

// 3. True history (recomputed as of each date) and why the score moved.
const history = healthHistory(timelines, { from: asOf - 90 * DAY, to: asOf, every: 'week', profiles });
const mover = history
  .filter((h) => (h.points[0]?.score ?? null) !== null && (h.points.at(-1)?.score ?? null) !== null)
  .sort(
    (a, b) =>
      (a.points.at(-1)?.score ?? 0) -
      (a.points[0]?.score ?? 0) -
      ((b.points.at(-1)?.score ?? 0) - (b.points[0]?.score ?? 0)),
  )[0];
if (mover !== undefined) {
  const first = mover.points[0];
  const last = mover.points.at(-1);
  if (first !== undefined && last !== undefined) {
    console.log(`\n${mover.customerId}: ${mover.points.map((p) => p.score?.toFixed(0)).join(' → ')}`);
    console.log(`  ${explainChange(first.result, last.result).summary}`);
  }
}

// 4. Alerts: a 15-point drop within 30 days, or falling into "at risk".
const alerts = healthAlerts(history, {
  drop: { points: 15, withinDays: 30 },
  bandChange: { to: ['at risk'] },
});
console.log(`\n${alerts.length} alerts in 90 days, e.g.:`);
for (const a of alerts.slice(0, 3))
  console.log(`  ${a.customerId} ${new Date(a.asOf).toISOString().slice(0, 10)} ${a.reason}`);

// 5. Does the score predict churn? And can the weights do better?
// Monthly snapshots (each with a full 90-day outcome window after it): more evidence per customer.
const snapshots = Array.from({ length: 15 }, (_, i) => Date.UTC(2024, 3 + i, 1));
const ev = evaluateHealth(timelines, { asOf: snapshots, horizon: 90, profiles });
console.log(`\nAUC ${ev.auc?.toFixed(3)}, lowest-decile lift ${ev.lowestDecile.lift?.toFixed(1)}`);
const fit = suggestWeights(timelines, { asOf: snapshots, horizon: 90, profiles });
console.log(`suggestWeights held-out AUC ${fit.auc.before?.toFixed(3)} → ${fit.auc.after?.toFixed(3)}`);
