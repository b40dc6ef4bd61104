/** Simulators of the covariate models (CLVTools' definitions), seeded, for recovery tests and benches. */
import { createRng } from '../../src/_lib/random';

export interface CovSim {
  rows: { frequency: number; recency: number; T: number }[];
  /** Binary covariate (0/1) and a 3-level categorical one. */
  covariates: { web: number[]; region: string[] };
}

function covs(n: number, seed: number): { web: number[]; region: string[] } {
  const rng = createRng(`cov-${seed}`);
  const web: number[] = [];
  const region: string[] = [];
  for (let i = 0; i < n; i++) {
    web.push(rng.next() < 0.4 ? 1 : 0);
    const u = rng.next();
    region.push(u < 0.5 ? 'north' : u < 0.8 ? 'south' : 'west');
  }
  return { web, region };
}

/** γ_transᵀx_i and γ_lifeᵀx_i for x_i = (web, region=south, region=west). */
function linearPredictors(
  covariates: CovSim['covariates'],
  i: number,
  gTrans: readonly number[],
  gLife: readonly number[],
): [number, number] {
  const x = [
    covariates.web[i] as number,
    covariates.region[i] === 'south' ? 1 : 0,
    covariates.region[i] === 'west' ? 1 : 0,
  ];
  return [
    x.reduce((s, v, j) => s + v * (gTrans[j] ?? 0), 0),
    x.reduce((s, v, j) => s + v * (gLife[j] ?? 0), 0),
  ];
}

/**
 * Pareto/NBD with α_i = α·exp(−γ_t·x_i), β_i = β·exp(−γ_l·x_i), x_i = (web, region=south, region=west).
 */
export function simulateParetoCov(
  p: { r: number; alpha: number; s: number; beta: number },
  gTrans: readonly number[],
  gLife: readonly number[],
  n: number,
  seed: number,
  maxT = 52,
): CovSim {
  const rng = createRng(seed);
  const covariates = covs(n, seed);
  const rows: CovSim['rows'] = [];
  for (let i = 0; i < n; i++) {
    const [lt, ll] = linearPredictors(covariates, i, gTrans, gLife);
    const T = maxT * (0.5 + 0.5 * rng.next());
    const lambda = rng.gamma(p.r) / (p.alpha * Math.exp(-lt));
    const mu = rng.gamma(p.s) / (p.beta * Math.exp(-ll));
    const end = Math.min(T, rng.exponential(mu));
    let k = 0;
    let tx = 0;
    let t = 0;
    for (;;) {
      t += rng.exponential(lambda);
      if (t > end) break;
      k++;
      tx = t;
    }
    rows.push({ frequency: k, recency: tx, T });
  }
  return { rows, covariates };
}

/** BG/NBD with α_i = α·exp(−γ_t·x_i), a_i = a·exp(γ_l·x_i), b_i = b·exp(γ_l·x_i). */
export function simulateBGNBDCov(
  p: { r: number; alpha: number; a: number; b: number },
  gTrans: readonly number[],
  gLife: readonly number[],
  n: number,
  seed: number,
  maxT = 52,
): CovSim {
  const rng = createRng(seed);
  const covariates = covs(n, seed);
  const rows: CovSim['rows'] = [];
  for (let i = 0; i < n; i++) {
    const [lt, ll] = linearPredictors(covariates, i, gTrans, gLife);
    const T = maxT * (0.5 + 0.5 * rng.next());
    const lambda = rng.gamma(p.r) / (p.alpha * Math.exp(-lt));
    const q = rng.beta(p.a * Math.exp(ll), p.b * Math.exp(ll));
    let k = 0;
    let tx = 0;
    let t = 0;
    for (;;) {
      t += rng.exponential(lambda);
      if (t > T) break;
      k++;
      tx = t;
      if (rng.bernoulli(q)) break;
    }
    rows.push({ frequency: k, recency: tx, T });
  }
  return { rows, covariates };
}
