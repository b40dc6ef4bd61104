/**
 * The optimiser of suggestWeights: logistic regression with non-negative coefficients pulled towards
 * prior weights (projected Newton with an active set and Armijo backtracking).
 * @module
 */
import { choleskyFactor, choleskySolveFactor } from '../_lib/cholesky';
import { ConvergenceError } from '../_lib/errors';

const MAX_NEWTON = 200;

/**
 * Minimises F(b, β) = Σ [log(1 + e^{z_i}) − y_i z_i] + l2/2 ‖β − s·w‖², z = b − Xβ, β ≥ 0, where s
 * is the best scale of the prior weights w (a 2-parameter fit of b, s first). Projected Newton:
 * coordinates at 0 with a positive gradient are held fixed, the rest take a Newton step solved by
 * Cholesky, then an Armijo backtracking search along the projected path. Columns never observed
 * stay 0. @internal
 */
export function fitNonNegativeLogistic(
  X: Float64Array,
  y: Float64Array,
  n: number,
  m: number,
  l2: number,
  w: Float64Array,
  seen: Float64Array,
): { beta: Float64Array; intercept: number; iterations: number } {
  // Prior: fit z = b − s · (X w) with s >= 0 (two parameters, plain Newton).
  const xw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < m; j++) v += (X[i * m + j] as number) * (w[j] as number);
    xw[i] = v;
  }
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i] as number;
  ybar = Math.min(1 - 1e-6, Math.max(1e-6, ybar / n));
  const prior = newtonProjected(
    { X: new Float64Array(xw.buffer), y, n, m: 1, l2: 0, target: new Float64Array(1) },
    Math.log(ybar / (1 - ybar)),
    [0],
  );
  const s = prior.beta[0] as number;
  const target = Float64Array.from(w, (v) => v * s);
  const start = Float64Array.from(target);
  for (let j = 0; j < m; j++) if ((seen[j] as number) === 0) start[j] = 0;
  return newtonProjected({ X, y, n, m, l2, target }, prior.intercept, Array.from(start), seen);
}

/** The data and penalty of one fit: X (n × m, row-major), outcomes y, l2 towards `target`. */
interface Problem {
  X: Float64Array;
  y: Float64Array;
  n: number;
  m: number;
  l2: number;
  target: Float64Array;
}

/** Projected Newton from (b0, β0) on F with the prior `target`; coordinates with `seen` 0 stay fixed at 0. */
function newtonProjected(
  prob: Problem,
  b0: number,
  beta0: number[],
  seen?: Float64Array,
): { beta: Float64Array; intercept: number; iterations: number } {
  const { n, m } = prob;
  const p = m + 1; // θ = [b, β]
  const theta = new Float64Array(p);
  theta[0] = b0;
  for (let j = 0; j < m; j++) theta[j + 1] = beta0[j] as number;
  const z = new Float64Array(n);
  const objective = (th: Float64Array): number => penalisedLoss(th, prob, z);
  const g = new Float64Array(p);
  const H = new Float64Array(p * p);
  const trial = new Float64Array(p);
  let f = objective(theta);
  for (let it = 1; it <= MAX_NEWTON; it++) {
    gradientHessian(prob, z, theta, g, H);
    // Active set: β_j at 0 with the gradient pushing it below 0 stays at 0.
    const free: number[] = [0];
    let pgNorm = Math.abs(g[0] as number);
    for (let j = 1; j < p; j++) {
      if (seen !== undefined && (seen[j - 1] as number) === 0) continue;
      const atZero = (theta[j] as number) <= 1e-12 && (g[j] as number) > 0;
      if (!atZero) {
        free.push(j);
        pgNorm = Math.max(pgNorm, Math.abs(g[j] as number));
      }
    }
    if (pgNorm <= 1e-7 * Math.max(1, n))
      return { beta: theta.slice(1), intercept: theta[0] as number, iterations: it };
    const dir = solveCholesky(H, g, free, p);
    const ls = armijoStep(theta, trial, g, dir, free, f, objective);
    f = ls.f;
    objective(theta); // refresh z for the next gradient
    if (!ls.accepted) return { beta: theta.slice(1), intercept: theta[0] as number, iterations: it };
  }
  throw new ConvergenceError('suggestWeights', {
    iterations: MAX_NEWTON,
    params: Array.from(theta),
    value: f,
    reason: 'projected Newton iterations exhausted',
  });
}

/** F at θ = [b, β] (see {@link fitNonNegativeLogistic}); writes z_i = b − x_i·β to `z`. */
function penalisedLoss(th: Float64Array, prob: Problem, z: Float64Array): number {
  const { X, y, n, m, l2, target } = prob;
  let f = 0;
  for (let i = 0; i < n; i++) {
    let zi = th[0] as number;
    for (let j = 0; j < m; j++) zi -= (th[j + 1] as number) * (X[i * m + j] as number);
    z[i] = zi;
    f += (zi > 0 ? zi + Math.log1p(Math.exp(-zi)) : Math.log1p(Math.exp(zi))) - (y[i] as number) * zi;
  }
  for (let j = 0; j < m; j++) f += 0.5 * l2 * ((th[j + 1] as number) - (target[j] as number)) ** 2;
  return f;
}

/** Gradient `g` and Hessian `H` (p × p, p = m + 1, filled symmetric) of F at θ, from the current `z`. */
function gradientHessian(
  prob: Problem,
  z: Float64Array,
  theta: Float64Array,
  g: Float64Array,
  H: Float64Array,
): void {
  const { X, y, n, m, l2, target } = prob;
  const p = m + 1;
  g.fill(0);
  H.fill(0);
  for (let i = 0; i < n; i++) {
    const pi = 1 / (1 + Math.exp(-(z[i] as number)));
    const r = pi - (y[i] as number);
    const wi = pi * (1 - pi);
    // dz/dθ = [1, −x_i]
    g[0] = (g[0] as number) + r;
    H[0] = (H[0] as number) + wi;
    for (let j = 0; j < m; j++) {
      const xj = X[i * m + j] as number;
      g[j + 1] = (g[j + 1] as number) - r * xj;
      H[j + 1] = (H[j + 1] as number) - wi * xj;
      for (let k = j; k < m; k++)
        H[(j + 1) * p + k + 1] = (H[(j + 1) * p + k + 1] as number) + wi * xj * (X[i * m + k] as number);
    }
  }
  for (let j = 0; j < m; j++) {
    g[j + 1] = (g[j + 1] as number) + l2 * ((theta[j + 1] as number) - (target[j] as number));
    H[(j + 1) * p + j + 1] = (H[(j + 1) * p + j + 1] as number) + l2 + 1e-9;
    H[(j + 1) * p] = H[j + 1] as number;
    for (let k = j + 1; k < m; k++) H[(k + 1) * p + j + 1] = H[(j + 1) * p + k + 1] as number;
  }
}

/**
 * Armijo backtracking along the projected path θ − step·dir (β clamped at 0): `theta` takes the first
 * step that decreases F enough; `accepted` is false when none did or F barely moved.
 */
function armijoStep(
  theta: Float64Array,
  trial: Float64Array,
  g: Float64Array,
  dir: Float64Array,
  free: number[],
  f: number,
  objective: (th: Float64Array) => number,
): { f: number; accepted: boolean } {
  const p = theta.length;
  let step = 1;
  for (let ls = 0; ls < 40; ls++) {
    trial.set(theta);
    for (let q = 0; q < free.length; q++) {
      const j = free[q] as number;
      const v = (theta[j] as number) - step * (dir[q] as number);
      trial[j] = j === 0 ? v : Math.max(0, v);
    }
    let decrease = 0;
    for (let j = 0; j < p; j++) decrease += (g[j] as number) * ((theta[j] as number) - (trial[j] as number));
    const ft = objective(trial);
    if (ft <= f - 1e-4 * decrease) {
      theta.set(trial);
      return { f: ft, accepted: Math.abs(f - ft) > 1e-12 * Math.max(1, Math.abs(f)) };
    }
    step /= 2;
  }
  return { f, accepted: false };
}

/** Solves H_FF d = g_F for the free coordinates by Cholesky (H is positive definite on them). */
function solveCholesky(H: Float64Array, g: Float64Array, free: number[], p: number): Float64Array {
  const k = free.length;
  const sub = new Float64Array(k * k);
  const rhs = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    rhs[a] = g[free[a] as number] as number;
    for (let b = 0; b <= a; b++) sub[a * k + b] = H[(free[a] as number) * p + (free[b] as number)] as number;
  }
  const l = choleskyFactor(sub, k, 1e-12) as Float64Array; // a raised pivot never fails
  return choleskySolveFactor(l, rhs, new Float64Array(k), k);
}
