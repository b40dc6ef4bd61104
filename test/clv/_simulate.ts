/** Simulators of the CLV models, for parameter-recovery tests (seeded, from the models' definitions). */
import { createRng } from '../../src/_lib/random';

export interface SimRow {
  frequency: number;
  recency: number;
  T: number;
}

/** BG/NBD (shift 0) or MBG/NBD (shift 1): Poisson(λ) purchases, dropout w.p. p after each (and at 0 for MBG). */
export function simulateBetaGeo(
  params: { r: number; alpha: number; a: number; b: number },
  n: number,
  seed: number,
  shift: 0 | 1 = 0,
  maxT = 52,
): SimRow[] {
  const rng = createRng(seed);
  const out: SimRow[] = [];
  for (let i = 0; i < n; i++) {
    const T = maxT * (0.5 + 0.5 * rng.next());
    const lambda = rng.gamma(params.r) / params.alpha;
    const p = rng.beta(params.a, params.b);
    let x = 0;
    let tx = 0;
    let t = 0;
    let alive = !(shift === 1 && rng.bernoulli(p));
    while (alive) {
      t += rng.exponential(lambda);
      if (t > T) break;
      x++;
      tx = t;
      if (rng.bernoulli(p)) alive = false;
    }
    out.push({ frequency: x, recency: tx, T });
  }
  return out;
}

/** Pareto/NBD: Poisson(λ) purchases until an exponential(μ) lifetime ends. */
export function simulatePareto(
  params: { r: number; alpha: number; s: number; beta: number },
  n: number,
  seed: number,
  maxT = 52,
): SimRow[] {
  const rng = createRng(seed);
  const out: SimRow[] = [];
  for (let i = 0; i < n; i++) {
    const T = maxT * (0.5 + 0.5 * rng.next());
    const lambda = rng.gamma(params.r) / params.alpha;
    const mu = rng.gamma(params.s) / params.beta;
    const end = Math.min(T, rng.exponential(mu));
    let x = 0;
    let tx = 0;
    let t = 0;
    for (;;) {
      t += rng.exponential(lambda);
      if (t > end) break;
      x++;
      tx = t;
    }
    out.push({ frequency: x, recency: tx, T });
  }
  return out;
}

/** BG/BB: before each of n opportunities die w.p. θ; if alive transact w.p. p. */
export function simulateBGBB(
  params: { alpha: number; beta: number; gamma: number; delta: number },
  customers: number,
  n: number,
  seed: number,
): { frequency: number; recency: number; n: number }[] {
  const rng = createRng(seed);
  const out: { frequency: number; recency: number; n: number }[] = [];
  for (let i = 0; i < customers; i++) {
    const p = rng.beta(params.alpha, params.beta);
    const theta = rng.beta(params.gamma, params.delta);
    let x = 0;
    let tx = 0;
    for (let t = 1; t <= n; t++) {
      if (rng.bernoulli(theta)) break;
      if (rng.bernoulli(p)) {
        x++;
        tx = t;
      }
    }
    out.push({ frequency: x, recency: tx, n });
  }
  return out;
}

/** Gamma-Gamma: ν ~ Gamma(q, γ); x transactions ~ Gamma(p, ν); returns (x, z̄). */
export function simulateGammaGamma(
  params: { p: number; q: number; gamma: number },
  n: number,
  seed: number,
): { frequency: number; monetaryValue: number }[] {
  const rng = createRng(seed);
  const out: { frequency: number; monetaryValue: number }[] = [];
  for (let i = 0; i < n; i++) {
    const x = 1 + rng.int(8);
    const nu = rng.gamma(params.q) / params.gamma;
    let s = 0;
    for (let k = 0; k < x; k++) s += rng.gamma(params.p) / nu;
    out.push({ frequency: x, monetaryValue: s / x });
  }
  return out;
}

/** sBG: θ ~ Beta(γ, δ); churn period geometric(θ); censored after `periods`. */
export function simulateSbg(
  params: { gamma: number; delta: number },
  n: number,
  periods: number,
  seed: number,
): number[] {
  const rng = createRng(seed);
  const survivors = new Array<number>(periods + 1).fill(0);
  for (let i = 0; i < n; i++) {
    const theta = rng.beta(params.gamma, params.delta);
    survivors[0] = (survivors[0] as number) + 1;
    for (let t = 1; t <= periods; t++) {
      if (rng.bernoulli(theta)) break;
      survivors[t] = (survivors[t] as number) + 1;
    }
  }
  return survivors;
}
