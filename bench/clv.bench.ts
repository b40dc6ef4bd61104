/**
 * CLV benchmarks: BG/NBD and Pareto/NBD fits on all 23,570 CDNOW customers (compressed) and on 1M
 * generated customers (daily-resolution times, as real data has), and prediction throughput.
 * Goals: BG/NBD fit on CDNOW < 30 ms, Pareto/NBD < 300 ms, predictions >= 1M customers/s;
 * Gamma-Gamma with its analytic gradient >= 3x faster than lifetimes (the peer harness measures the
 * ratio: `REPS=3 TASKS=cdnow bash ../shared/peers/sidebyside.sh`); here: analytic vs the former
 * central-difference gradient on the same objective.
 */
import { createRng } from '../src/_lib/random';
import { minimize } from '../src/clv/_optimize';
import { compressRfm } from '../src/clv/compressRfm';
import { fitBGNBD } from '../src/clv/fitBGNBD';
import { fitGammaGamma, gammaGammaObjective } from '../src/clv/fitGammaGamma';
import { fitParetoNBD } from '../src/clv/fitParetoNBD';
import { rfmSummary } from '../src/clv/rfmSummary';
import type { CustomerEvent } from '../src/events/types';
import { cdnowAvailable, loadCdnowMaster } from '../test/helpers/sharedData';
import { fmt, measure } from './_util';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Times fn `runs` times after `warm` warm-up runs; prints the median. */
function timed(label: string, fn: () => unknown, runs = 7, warm = 3): void {
  for (let i = 0; i < warm; i++) fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  console.log(
    `${label.padEnd(52)} ${median(ms).toFixed(1).padStart(9)} ms  (median of ${runs}, after ${warm} warm-up)`,
  );
}

/** 1M Pareto/NBD customers with first purchases over 12 weeks, observed 78 weeks, times rounded to days. */
function generate(n: number): { frequency: Float64Array; recency: Float64Array; T: Float64Array } {
  const rng = createRng('clv-bench');
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  const p = { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 };
  for (let i = 0; i < n; i++) {
    const firstDay = Math.floor(rng.next() * 84);
    const Tdays = 546 - firstDay;
    const lambda = rng.gamma(p.r) / p.alpha / 7; // per day
    const mu = rng.gamma(p.s) / p.beta / 7;
    const end = Math.min(Tdays, rng.exponential(mu));
    let t = 0;
    let x = 0;
    let last = 0;
    let lastDay = 0;
    for (;;) {
      t += rng.exponential(lambda);
      if (t > end) break;
      const d = Math.floor(t);
      if (d !== lastDay) {
        x++;
        last = d;
        lastDay = d;
      }
    }
    frequency[i] = x;
    recency[i] = x > 0 ? last / 7 : 0;
    T[i] = Tdays / 7;
  }
  return { frequency, recency, T };
}

if (cdnowAvailable) {
  const events: CustomerEvent[] = loadCdnowMaster().map((t) => ({
    customerId: t.customerId,
    type: 'purchase',
    timestamp: t.date,
    value: t.dollars,
  }));
  const summary = measure('rfmSummary CDNOW master (69,659 purchases)', () =>
    rfmSummary(events, { asOf: Date.UTC(1998, 5, 30), timeUnit: 'weeks' }),
  );
  const compressed = measure('compressRfm CDNOW (23,570 customers)', () => compressRfm(summary.columns));
  console.log(`  CDNOW: ${compressed.customers} customers -> ${compressed.rows} distinct (x, t_x, T) rows`);
  timed('fitBGNBD CDNOW 23,570 (compressed, with SEs)', () => fitBGNBD(compressed));
  timed('fitBGNBD CDNOW 23,570 (compressed, no SEs)', () => fitBGNBD(compressed, { standardErrors: false }));
  timed('fitParetoNBD CDNOW 23,570 (compressed, with SEs)', () => fitParetoNBD(compressed), 5, 2);
  timed(
    'fitParetoNBD CDNOW 23,570 (compressed, no SEs)',
    () => fitParetoNBD(compressed, { standardErrors: false }),
    5,
    2,
  );
  const spend = summary.customers.map((c) => ({ frequency: c.frequency, monetaryValue: c.monetaryValue }));
  timed('fitGammaGamma CDNOW repeat buyers (analytic gradient, with SEs)', () => fitGammaGamma(spend), 15, 5);
  timed(
    'fitGammaGamma CDNOW repeat buyers (analytic gradient, no SEs)',
    () => fitGammaGamma(spend, { standardErrors: false }),
    15,
    5,
  );
  {
    const used = spend.filter((r) => r.frequency > 0 && r.monetaryValue > 0);
    const f = gammaGammaObjective(
      Float64Array.from(used, (r) => r.frequency),
      Float64Array.from(used, (r) => r.monetaryValue),
      new Float64Array(used.length).fill(1),
    );
    let mean = 0;
    for (const r of used) mean += r.monetaryValue / used.length;
    const x0 = [0, Math.log(2), Math.log(mean)];
    timed(
      'Gamma-Gamma minimise, former numeric gradient (baseline)',
      () => minimize('bench', (phi) => f(phi, null), x0, { analyticGradient: false }),
      15,
      5,
    );
    timed(
      'Gamma-Gamma minimise, analytic gradient',
      () => minimize('bench', f, x0, { analyticGradient: true }),
      15,
      5,
    );
    const gg = fitGammaGamma(spend);
    console.log(
      `  Gamma-Gamma ${JSON.stringify(gg.params)} LL ${gg.logLikelihood.toFixed(2)} (${used.length} repeat buyers)`,
    );
  }
  const bg = fitBGNBD(compressed);
  const pn = fitParetoNBD(compressed);
  console.log(
    `  BG/NBD ${JSON.stringify(bg.params)} LL ${bg.logLikelihood.toFixed(1)} (${bg.iterations} it)`,
  );
  console.log(
    `  Pareto/NBD ${JSON.stringify(pn.params)} LL ${pn.logLikelihood.toFixed(1)} (${pn.iterations} it)`,
  );
} else {
  console.log('CDNOW data not found: CDNOW benchmarks skipped');
}

const N = 1_000_000;
const gen = measure('generate 1M Pareto/NBD customers', () => generate(N));
const big = measure('compressRfm 1M customers', () => compressRfm(gen));
console.log(`  1M: ${big.rows} distinct rows`);
const bg1 = measure('fitBGNBD 1M customers (compressed, with SEs)', () => fitBGNBD(big));
const pn1 = measure('fitParetoNBD 1M customers (compressed, with SEs)', () => fitParetoNBD(big));
console.log(`  BG/NBD ${JSON.stringify(bg1.params)}`);
console.log(`  Pareto/NBD ${JSON.stringify(pn1.params)} (truth r 0.55, alpha 10.6, s 0.61, beta 11.7)`);
const out = new Float64Array(N);
bg1.predictConditional(39, gen, out);
measure('BG/NBD predictConditional(39) 1M customers', () => bg1.predictConditional(39, gen, out), {
  count: N,
  unit: 'customers',
});
pn1.predictConditional(39, gen, out);
measure('Pareto/NBD predictConditional(39) 1M customers', () => pn1.predictConditional(39, gen, out), {
  count: N,
  unit: 'customers',
});
const alive = measure(
  'Pareto/NBD probabilityAlive 1M customers',
  () => {
    let s = 0;
    const h = { frequency: 0, recency: 0, T: 0 };
    for (let i = 0; i < N; i++) {
      h.frequency = gen.frequency[i] as number;
      h.recency = gen.recency[i] as number;
      h.T = gen.T[i] as number;
      s += pn1.probabilityAlive(h);
    }
    return s;
  },
  { count: N, unit: 'customers' },
);
console.log(`  mean P(alive) ${fmt(alive / N)}`);
