/**
 * The minimisers behind `minimize` (private to the module): BFGS with an Armijo backtracking line
 * search, and the Nelder–Mead restart.
 * @module
 */
import type { MinimizeResult, Objective } from './_optimize';

/** Largest absolute component. */
function normInf(g: Float64Array): number {
  let m = 0;
  for (let i = 0; i < g.length; i++) m = Math.max(m, Math.abs(g[i] as number));
  return m;
}

/** The objective with an evaluation count; gradients by central differences when not analytic. */
export class Counter {
  evals = 0;
  constructor(
    readonly f: Objective,
    readonly analytic: boolean,
  ) {}
  value(theta: Float64Array): number {
    this.evals++;
    const v = this.f(theta, null);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  }
  valueGrad(theta: Float64Array, g: Float64Array): number {
    if (this.analytic) {
      this.evals++;
      const v = this.f(theta, g);
      return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
    }
    const v = this.value(theta);
    const t = Float64Array.from(theta);
    for (let i = 0; i < theta.length; i++) {
      const h = 1e-5 * Math.max(1, Math.abs(theta[i] as number));
      t[i] = (theta[i] as number) + h;
      const fp = this.value(t);
      t[i] = (theta[i] as number) - h;
      const fm = this.value(t);
      t[i] = theta[i] as number;
      g[i] = (fp - fm) / (2 * h);
    }
    return v;
  }
}

type BfgsResult = MinimizeResult & { ok: boolean; reason: string };

/** The BFGS outcome object. */
function outcome(
  theta: Float64Array,
  value: number,
  iterations: number,
  gradientNorm: number,
  evaluations: number,
  ok: boolean,
  reason: string,
): BfgsResult {
  return { theta, value, iterations, gradientNorm, evaluations, ok, reason };
}

/** BFGS from x0 with an Armijo line search; `ok` false (with the reason) when it stalls or fails. */
export function bfgs(c: Counter, x0: Float64Array, maxIter: number, gradTol: number): BfgsResult {
  const n = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = c.valueGrad(x, g);
  if (!Number.isFinite(f))
    return outcome(x, f, 0, Number.NaN, c.evals, false, 'objective not finite at the start');
  // Inverse Hessian approximation, start scaled identity.
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1 / Math.max(1, Math.abs(f));
  const p = new Float64Array(n);
  const xn = new Float64Array(n);
  const gn = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  let firstStep = true;
  let scaleNext = true;
  for (let iter = 1; iter <= maxIter; iter++) {
    const gnorm = normInf(g);
    if (gnorm <= gradTol * Math.max(1, Math.abs(f)))
      return outcome(x, f, iter - 1, gnorm, c.evals, true, 'gradient tolerance');
    let slope = quasiNewtonDirection(H, g, p);
    if (!(slope < 0)) {
      scaleNext = true;
      slope = steepestDescent(H, g, p, f);
    }
    // Limit the step to 2 units in log-parameter space.
    const pn = normInf(p);
    let step = pn > 2 ? 2 / pn : 1;
    if (firstStep && pn * step > 0.5) step = 0.5 / pn;
    firstStep = false;
    const fn = lineSearch(c, x, p, step, f, slope, xn, gn);
    if (fn === null) return outcome(x, f, iter, gnorm, c.evals, false, 'line search failed');
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = (xn[i] as number) - (x[i] as number);
      y[i] = (gn[i] as number) - (g[i] as number);
      sy += (s[i] as number) * (y[i] as number);
    }
    const relChange = Math.abs(f - fn) / Math.max(1, Math.abs(f));
    x.set(xn);
    g.set(gn);
    f = fn;
    if (sy > 1e-12 && scaleNext) {
      // Nocedal & Wright (6.20): rescale the initial inverse Hessian before the first update.
      let yy = 0;
      for (let i = 0; i < n; i++) yy += (y[i] as number) * (y[i] as number);
      H.fill(0);
      for (let i = 0; i < n; i++) H[i * n + i] = sy / yy;
      scaleNext = false;
    }
    if (sy > 1e-12) inverseHessianUpdate(H, s, y, sy, Hy);
    if (relChange < 1e-15 && normInf(s) < 1e-12) {
      const gn2 = normInf(g);
      return outcome(
        x,
        f,
        iter,
        gn2,
        c.evals,
        gn2 <= 1e3 * gradTol * Math.max(1, Math.abs(f)),
        'no progress',
      );
    }
  }
  return outcome(x, f, maxIter, normInf(g), c.evals, false, 'iteration limit');
}

/** p = −H·g; returns the slope pᵀg. */
function quasiNewtonDirection(H: Float64Array, g: Float64Array, p: Float64Array): number {
  const n = g.length;
  let slope = 0;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < n; j++) v -= (H[i * n + j] as number) * (g[j] as number);
    p[i] = v;
    slope += v * (g[i] as number);
  }
  return slope;
}

/** Resets H to the scaled identity 1/max(1, |f|) and p to steepest descent −H·g; returns the slope. */
function steepestDescent(H: Float64Array, g: Float64Array, p: Float64Array, f: number): number {
  const n = g.length;
  H.fill(0);
  for (let i = 0; i < n; i++) H[i * n + i] = 1 / Math.max(1, Math.abs(f));
  let slope = 0;
  for (let i = 0; i < n; i++) {
    p[i] = -(H[i * n + i] as number) * (g[i] as number);
    slope += (p[i] as number) * (g[i] as number);
  }
  return slope;
}

/**
 * Armijo backtracking from `step` along p: the first xn = x + step·p (value and gradient in xn, gn)
 * with f(xn) ≤ f + 1e−4·step·slope, its value; null after 60 halvings/quarterings.
 */
function lineSearch(
  c: Counter,
  x: Float64Array,
  p: Float64Array,
  step: number,
  f: number,
  slope: number,
  xn: Float64Array,
  gn: Float64Array,
): number | null {
  const n = x.length;
  for (let ls = 0; ls < 60; ls++) {
    for (let i = 0; i < n; i++) xn[i] = (x[i] as number) + step * (p[i] as number);
    const fn = c.valueGrad(xn, gn);
    if (fn <= f + 1e-4 * step * slope) return fn;
    step *= ls < 2 ? 0.5 : 0.25;
  }
  return null;
}

/** The BFGS update of the inverse Hessian H with step s, gradient change y and sᵀy = `sy` (`Hy` scratch). */
function inverseHessianUpdate(
  H: Float64Array,
  s: Float64Array,
  y: Float64Array,
  sy: number,
  Hy: Float64Array,
): void {
  const n = s.length;
  let yHy = 0;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < n; j++) v += (H[i * n + j] as number) * (y[j] as number);
    Hy[i] = v;
    yHy += v * (y[i] as number);
  }
  const rho = 1 / sy;
  const coef = (1 + yHy * rho) * rho;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      H[i * n + j] =
        (H[i * n + j] as number) +
        coef * (s[i] as number) * (s[j] as number) -
        rho * ((Hy[i] as number) * (s[j] as number) + (s[i] as number) * (Hy[j] as number));
    }
  }
}

/** Nelder–Mead from x0 (simplex of steps 0.5), at most `maxEvals` evaluations; the best vertex. */
export function nelderMead(
  c: Counter,
  x0: Float64Array,
  maxEvals: number,
): { theta: Float64Array; value: number } {
  const n = x0.length;
  const pts: Float64Array[] = [];
  const vals: number[] = [];
  pts.push(Float64Array.from(x0));
  vals.push(c.value(x0));
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(x0);
    p[i] = (p[i] as number) + 0.5;
    pts.push(p);
    vals.push(c.value(p));
  }
  const centroid = new Float64Array(n);
  const tryPt = (coef: number, worst: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++)
      out[j] = (centroid[j] as number) + coef * ((worst[j] as number) - (centroid[j] as number));
    return out;
  };
  let evals = 0;
  while (evals < maxEvals) {
    const order = vals.map((_, i) => i).sort((a, b) => (vals[a] as number) - (vals[b] as number));
    const sp = order.map((i) => pts[i] as Float64Array);
    const sv = order.map((i) => vals[i] as number);
    for (let i = 0; i <= n; i++) {
      pts[i] = sp[i] as Float64Array;
      vals[i] = sv[i] as number;
    }
    if (
      Math.abs((vals[n] as number) - (vals[0] as number)) <=
      1e-10 * Math.max(1, Math.abs(vals[0] as number))
    )
      break;
    centroid.fill(0);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + (pts[i]?.[j] as number) / n;
    const worst = pts[n] as Float64Array;
    const xr = tryPt(-1, worst);
    const fr = c.value(xr);
    evals++;
    if (fr < (vals[0] as number)) {
      const xe = tryPt(-2, worst);
      const fe = c.value(xe);
      evals++;
      if (fe < fr) {
        pts[n] = xe;
        vals[n] = fe;
      } else {
        pts[n] = xr;
        vals[n] = fr;
      }
    } else if (fr < (vals[n - 1] as number)) {
      pts[n] = xr;
      vals[n] = fr;
    } else {
      const xc = fr < (vals[n] as number) ? tryPt(-0.5, worst) : tryPt(0.5, worst);
      const fc = c.value(xc);
      evals++;
      if (fc < Math.min(fr, vals[n] as number)) {
        pts[n] = xc;
        vals[n] = fc;
      } else {
        const best = pts[0] as Float64Array;
        for (let i = 1; i <= n; i++) {
          const p = pts[i] as Float64Array;
          for (let j = 0; j < n; j++)
            p[j] = (best[j] as number) + 0.5 * ((p[j] as number) - (best[j] as number));
          vals[i] = c.value(p);
          evals++;
        }
      }
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if ((vals[i] as number) < (vals[bi] as number)) bi = i;
  return { theta: pts[bi] as Float64Array, value: vals[bi] as number };
}
