/**
 * A workload run both in Node and in a real browser (Chromium): the results must be identical,
 * which shows the core (every module) runs without Node APIs and is deterministic across platforms
 * and time zones.
 */
import { wasmSwitch } from '../../src/_lib/wasm';
import { designArena, makeDesign } from '../../src/churn/_design';
import { createGrowContext } from '../../src/churn/_growTree';
import { fitGradientBoosting } from '../../src/churn/fitGradientBoosting';
import { backtest, fitLogisticRegression } from '../../src/churn/index';
import { estimateClv } from '../../src/clv/index';
import { groupByCustomer, parseEvents } from '../../src/events/index';
import { scoreHealth } from '../../src/health/index';
import { mrrMovements, nps, surveyScores } from '../../src/metrics/index';
import { generateRetailTransactions, generateSaasEvents } from '../../src/sample/index';
import { feedbackSentiment, rfmScores, rfmSegments } from '../../src/segment/index';

const round = (x: number | null | undefined) => (typeof x === 'number' ? Math.round(x * 1e9) / 1e9 : x);

export function workload(): Record<string, unknown> {
  const saas = generateSaasEvents({ customers: 40, seed: 5, start: '2024-01-01', end: '2025-01-01' });
  const parsed = parseEvents([...saas.events, { customerId: '', type: 'login', timestamp: 'bad' }]);
  const timelines = groupByCustomer(parsed.events);
  const retail = generateRetailTransactions({ customers: 300, seed: 3 });
  const retailEvents = parseEvents(retail.events).events;
  const asOf = '2024-12-01';

  const health = scoreHealth(parsed.events, { asOf }).map((h) => [h.customerId, round(h.score), h.band]);
  const movements = mrrMovements(parsed.events, {
    from: '2024-06-01',
    to: '2024-12-01',
    period: 'month',
  }).map((p) => [p.periodStart, round(p.value)]);
  const clv = estimateClv(retailEvents, { asOf: retail.end, horizonMonths: 12 });
  const bt = backtest(parsed.events, { asOf: '2024-11-01', horizon: { days: 30 } });
  const rfm = rfmSegments(rfmScores(retailEvents, { asOf: retail.end }));
  return {
    events: parsed.stats.accepted,
    rejected: parsed.rejected.map((r) => r.issues.map((i) => i.message)),
    customers: timelines.size,
    firstOfEach: [...timelines.values()].map((t) => [t.customerId, t.firstTimestamp, t.lastTimestamp]),
    churned: saas.truth.filter((t) => t.churnedAt !== null).map((t) => t.customerId),
    nps: round(nps(surveyScores(parsed.events, 'nps_response')).value),
    movements,
    health,
    clv: [clv.method, clv.customers.slice(0, 20).map((c) => [c.customerId, round(c.value)])],
    backtest: round(bt.evaluation.rocAuc),
    rfm: rfm.customers.slice(0, 50).map((c) => [c.customerId, c.segment]),
    sentiment: feedbackSentiment('Support took days to answer, very disappointing.').comparative,
    logistic: logisticKernels(),
    boosting: boostingKernel(),
    localTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

/**
 * The logistic fit's WebAssembly kernels (src/churn/_logistic.wat) run here too (`wasm` true in Node
 * and in the browser), and give the same bits as the TypeScript path forced by the switch.
 */
function logisticKernels(): Record<string, unknown> {
  const n = 701;
  const p = 7;
  const x = Float64Array.from({ length: n * p }, (_, k) => Math.sin(k * 0.7) * 2 + (k % p) * 0.1);
  const y = Uint8Array.from({ length: n }, (_, i) => ((i * 37) % 11 < 4 + (x[i * p] as number) ? 1 : 0));
  const wasm = fitLogisticRegression(x, y, p, { l2: 1 });
  wasmSwitch.disabled = true;
  const ts = fitLogisticRegression(x, y, p, { l2: 1 });
  wasmSwitch.disabled = false;
  const same =
    Object.is(wasm.intercept, ts.intercept) &&
    wasm.coefficients.every((c, j) => Object.is(c, ts.coefficients[j]));
  return {
    wasm: designArena(n, p) !== null,
    same,
    sameExtreme: extremeSweep(),
    coefficients: Array.from(wasm.coefficients, round),
  };
}

/** One sweep at linear predictors e = x₀ across every branch of exp(−|e|) and log1p: same bits both ways. */
function extremeSweep(): boolean {
  const es = [
    0, 1e-10, 3.7e-9, 0.3, 0.3466, 0.85, 1, 5, 20.2, 36, 700, 708.5, 709.5, 745.2, 800, 1e300,
  ].flatMap((v) => [v, -v]);
  const n = es.length;
  const x = new Float64Array(n * 3);
  es.forEach((e, i) => {
    x[i * 3] = e;
    x[i * 3 + 1] = 1 + i;
    x[i * 3 + 2] = -2 - i;
  });
  const y = Float64Array.from(es, (_, i) => i % 2);
  const w = Float64Array.from(es, (_, i) => (i % 5 === 0 ? 0 : 1));
  const sweep = () => {
    const design = makeDesign(x, n, 3, y, w);
    const grad = new Float64Array(4);
    const f = design.pass(Float64Array.from([1, 0, 0, 0]), 0, grad);
    return [f, ...grad, ...design.prob];
  };
  wasmSwitch.disabled = true;
  const ts = sweep();
  wasmSwitch.disabled = false;
  return sweep().every((v, k) => Object.is(v, ts[k]));
}

/**
 * The boosted trees' WebAssembly kernel (src/churn/_hist.wat: histograms, subtraction, partitions)
 * runs here too (`wasm` true in Node and in the browser), and gives the same trees as the TypeScript
 * path forced by the switch.
 */
function boostingKernel(): Record<string, unknown> {
  const n = 1501;
  const p = 5;
  const x = Float64Array.from({ length: n * p }, (_, k) => Math.sin(k * 0.37) * 3 + (k % 3));
  const y = Uint8Array.from({ length: n }, (_, i) =>
    (x[i * p] as number) + ((i * 13) % 7) * 0.3 > 1 ? 1 : 0,
  );
  const opts = { trees: 5, maxBins: 31, minSamplesLeaf: 5 };
  const wasm = fitGradientBoosting(x, y, p, opts);
  wasmSwitch.disabled = true;
  const ts = fitGradientBoosting(x, y, p, opts);
  wasmSwitch.disabled = false;
  const bits = (f: typeof wasm) =>
    JSON.stringify(f.trees.map((t) => [Array.from(t.feature), Array.from(t.threshold), Array.from(t.value)]));
  const setup = {
    n: 2,
    p: 1,
    nb: Int32Array.of(2),
    featOff: Int32Array.of(0, 2),
    edges: [Float64Array.of(0)],
  };
  const kernel = createGrowContext({
    ...setup,
    lr: 0.1,
    maxLeaves: 2,
    maxDepth: 1,
    minLeaf: 1,
    lambda: 1,
  }).kernel;
  return {
    wasm: kernel !== null,
    same: bits(wasm) === bits(ts),
    values: Array.from(wasm.trees[4]?.value ?? [], round),
  };
}
