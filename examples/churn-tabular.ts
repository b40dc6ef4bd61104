/**
 * Churn from a feature table you already have (no events needed): cross-validate, train, save and
 * reload the model, and explain the riskiest accounts; then a Kaplan–Meier retention curve.
 * Run: npx tsx examples/churn-tabular.ts
 */

import type { ChurnRow } from '../src/churn/index';
import { ChurnModel, crossValidate, kaplanMeier, trainChurnModel } from '../src/churn/index';

// A small seeded table (a real one would come from your warehouse).
let seed = 7;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const plans = ['starter', 'growth', 'enterprise'];
const rows: ChurnRow[] = [];
for (let i = 0; i < 600; i++) {
  const plan = plans[Math.floor(rand() * 3)] as string;
  const logins30d = Math.round(rand() * 40);
  const tickets30d = Math.floor(rand() * rand() * 6);
  const npsLatest = rand() < 0.3 ? null : Math.round(rand() * 10);
  const risk =
    -1 - 0.08 * logins30d + 0.5 * tickets30d - 0.2 * ((npsLatest ?? 7) - 7) + (plan === 'starter' ? 0.8 : 0);
  rows.push({
    customerId: `acct_${i}`,
    features: { plan, logins30d, tickets30d, npsLatest, annual: plan === 'enterprise' },
    churned: rand() < 1 / (1 + Math.exp(-risk)),
  });
}

const cv = crossValidate(rows, { folds: 5, seed: 1 });
console.log(
  `5-fold CV: ROC AUC ${cv.pooled.rocAuc?.toFixed(3)}, PR AUC ${cv.pooled.prAuc?.toFixed(3)}, ` +
    `Brier ${cv.pooled.brier?.toFixed(4)}, top-10% lift ${cv.pooled.top10.lift?.toFixed(2)}`,
);

const model = trainChurnModel(rows); // L2 logistic regression, λ = 10 (scikit-learn C = 0.1)
const saved = JSON.stringify(model); // plain JSON: store it anywhere
const loaded = ChurnModel.fromJSON(JSON.parse(saved)); // validated on the way back in
const scored = loaded.predict(rows).sort((a, b) => b.probability - a.probability);
console.log('\nRiskiest accounts:');
for (const p of scored.slice(0, 3)) {
  console.log(`  ${p.customerId}: ${(100 * p.probability).toFixed(1)}% (${p.band})`);
  for (const r of p.reasons) console.log(`    ${r.sentence}`);
}

// Retention: months from signup to churn (1) or to today (0 = still a customer).
const months = [2, 3, 3, 5, 6, 8, 9, 12, 12, 14, 15, 18, 20, 24, 24];
const churned = [1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0];
const km = kaplanMeier(months, churned);
console.log('\nKaplan–Meier retention:');
km.times.forEach((t, i) => {
  console.log(
    `  month ${String(t).padStart(2)}: ${(100 * (km.survival[i] as number)).toFixed(1)}% ` +
      `(95% ${(100 * (km.lower[i] as number)).toFixed(1)}–${(100 * (km.upper[i] as number)).toFixed(1)}%)`,
  );
});
console.log(`  median lifetime: ${km.median ?? 'not reached'} months`);
