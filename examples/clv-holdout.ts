/**
 * Judging CLV models on a holdout (issue #16), on the CDNOW 1/10th sample as Fader, Hardie & Lee
 * (2005) do: 39 calibration weeks, 39 holdout weeks. Prints the model comparison table, the
 * calibration-vs-holdout table, the cumulative tracking series every 13 weeks, and intervals.
 * Needs ../shared/datasets/cdnow (set CDNOW_DIR otherwise).
 * Run: npx tsx examples/clv-holdout.ts
 */
import {
  clvIntervals,
  compareClvModels,
  evaluateClv,
  fitBGNBD,
  fitMBGNBD,
  fitParetoNBD,
  purchasePmfSeries,
} from '../src/clv/index';
import { loadCdnowSplit } from '../test/clv/_fhlTenthSample';
import { cdnowAvailable } from '../test/helpers/sharedData';

if (!cdnowAvailable) {
  console.log('CDNOW data not found (../shared/datasets/cdnow or CDNOW_DIR): nothing to show.');
} else {
  const s = loadCdnowSplit();
  const holdout = { frequency: s.holdout, duration: 39 };
  const models = {
    'BG/NBD': fitBGNBD(s.calibration),
    'MBG/NBD': fitMBGNBD(s.calibration),
    'Pareto/NBD': fitParetoNBD(s.calibration),
  };
  const cmp = compareClvModels(models, { calibration: s.calibration, holdout, criterion: 'mae' });
  console.log(`CDNOW sample: ${s.calibration.length} customers, 39 + 39 weeks\n`);
  console.log(
    'model        k   log-lik      AIC       BIC    MAE    RMSE   bias   predicted  actual  total err',
  );
  for (const r of cmp.rows) {
    console.log(
      `${r.name.padEnd(11)} ${String(r.parameters).padStart(2)} ${r.logLikelihood.toFixed(1).padStart(9)} ${r.aic.toFixed(1).padStart(8)} ${r.bic.toFixed(1).padStart(8)} ${r.mae.toFixed(3).padStart(6)} ${r.rmse.toFixed(3).padStart(6)} ${r.bias.toFixed(3).padStart(6)} ${r.predictedTotal.toFixed(0).padStart(10)} ${String(r.actualTotal).padStart(7)} ${(100 * r.totalError).toFixed(1).padStart(8)}%`,
    );
  }
  console.log(`best: ${cmp.explanation}\n`);

  const bg = models['BG/NBD'];
  const ev = evaluateClv(bg, {
    calibration: s.calibration,
    holdout,
    tracking: { births: s.births, repeatTimes: s.repeatTimes, calibrationEnd: 39, end: 78 },
  });
  console.log('BG/NBD calibration vs holdout (mean holdout purchases per customer)');
  for (const r of ev.calibrationVsHoldout)
    console.log(
      `  x = ${r.label.padEnd(3)} ${String(r.customers).padStart(5)} customers  actual ${r.actual.toFixed(3)}  model ${r.predicted.toFixed(3)}`,
    );
  console.log('\nBG/NBD cumulative repeat transactions (tracking plot data)');
  for (const p of ev.tracking ?? [])
    if (p.period % 13 === 0)
      console.log(
        `  week ${String(p.period).padStart(2)} (${p.phase.padEnd(11)}) actual ${String(p.cumulativeActual).padStart(5)}  model ${p.cumulativeExpected.toFixed(1).padStart(7)}`,
      );
  console.log('\nBG/NBD calibration fit histogram');
  for (const p of purchasePmfSeries(bg, s.calibration).points)
    console.log(
      `  ${p.label.padEnd(3)} actual ${String(p.actual).padStart(5)}  model ${p.expected.toFixed(1).padStart(7)}`,
    );
  const iv = clvIntervals(bg, s.calibration, {
    t: 39,
    customers: [{ frequency: 2, recency: 30.43, T: 38.86 }],
    draws: 200,
    seed: 1,
  });
  const c = iv.customers[0]?.expectedPurchases;
  console.log(
    `\nE[X(39)] ${iv.expectedPurchases.estimate.toFixed(3)} [${iv.expectedPurchases.lower.toFixed(3)}, ${iv.expectedPurchases.upper.toFixed(3)}]; customer x=2: ${c?.estimate.toFixed(3)} [${c?.lower.toFixed(3)}, ${c?.upper.toFixed(3)}]\n(${iv.description})`,
  );
}
