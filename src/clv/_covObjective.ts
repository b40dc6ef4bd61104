/**
 * The objective of the covariate models (private to `_covFit`): the parameter layout, each covariate
 * group's base-model objective, the L2 penalty and the grouped −LL with its chain-rule gradient.
 * @module
 */
import { betaGeoObjective } from './_betaGeo';
import type { codeCovariates } from './_covariates';
import type { Objective } from './_optimize';
import { paretoObjective } from './_pareto';
import { compressRfm } from './compressRfm';
import type { RfmColumns } from './types';

/**
 * Parameter layout: 4 log base params, free transaction γ, free lifetime γ, constrained γ; per design
 * column its θ index in each process (−1 when it does not act there).
 */
export function parameterLayout(
  kind: 'paretonbd' | 'bgnbd',
  design: ReturnType<typeof codeCovariates>,
  transNames: readonly string[],
  lifeNames: readonly string[],
  constrNames: readonly string[],
): {
  paramNames: string[];
  tIdx: Int32Array;
  lIdx: Int32Array;
  constrCols: Set<number>;
  transCols: number[];
  lifeCols: number[];
} {
  const k = design.columns.length;
  const colsOf = (nm: readonly string[]) =>
    design.coding
      .filter((c) => nm.includes(c.name))
      .flatMap((c) => c.columns.map((col) => design.columns.indexOf(col)));
  const transCols = colsOf(transNames);
  const lifeCols = colsOf(lifeNames);
  const constrCols = new Set(colsOf(constrNames));
  const tIdx = new Int32Array(k).fill(-1);
  const lIdx = new Int32Array(k).fill(-1);
  const paramNames: string[] =
    kind === 'paretonbd'
      ? ['log r', 'log alpha', 'log s', 'log beta']
      : ['log r', 'log alpha', 'log a', 'log b'];
  for (const j of transCols) {
    if (constrCols.has(j)) continue;
    tIdx[j] = paramNames.length;
    paramNames.push(`transaction.${design.columns[j]}`);
  }
  for (const j of lifeCols) {
    if (constrCols.has(j)) continue;
    lIdx[j] = paramNames.length;
    paramNames.push(`lifetime.${design.columns[j]}`);
  }
  for (const j of constrCols) {
    tIdx[j] = paramNames.length;
    lIdx[j] = paramNames.length;
    paramNames.push(`constrained.${design.columns[j]}`);
  }
  return { paramNames, tIdx, lIdx, constrCols, transCols, lifeCols };
}

/** The base model's compressed objective of each covariate group's rows. */
export function groupObjectives(
  fn: string,
  kind: 'paretonbd' | 'bgnbd',
  cols: RfmColumns,
  groupRows: readonly (readonly number[])[],
): Objective[] {
  const objectives: Objective[] = [];
  const count = cols.count;
  for (const rows of groupRows) {
    const gc: RfmColumns = {
      frequency: rows.map((i) => cols.frequency[i] as number),
      recency: rows.map((i) => cols.recency[i] as number),
      T: rows.map((i) => cols.T[i] as number),
      count: rows.map((i) => (count ? (count[i] as number) : 1)),
    };
    const c = compressRfm(gc, { fn });
    objectives.push(kind === 'paretonbd' ? paretoObjective(c) : betaGeoObjective(c, 0));
  }
  return objectives;
}

/** CLVTools' L2 penalty n·λ‖γ‖² on the coefficients (θ from index 4), adding its gradient to `grad`. */
export function l2Penalty(
  paramNames: readonly string[],
  lambda: { transaction: number; lifetime: number },
  customers: number,
): (theta: Float64Array, grad: Float64Array | null) => number {
  const P = paramNames.length;
  return (theta, grad) => {
    let pen = 0;
    for (let j = 4; j < P; j++) {
      const name = paramNames[j] as string;
      const lam = name.startsWith('transaction.')
        ? lambda.transaction
        : name.startsWith('lifetime.')
          ? lambda.lifetime
          : lambda.transaction + lambda.lifetime;
      if (lam === 0) continue;
      const g = theta[j] as number;
      pen += customers * lam * g * g;
      if (grad) grad[j] = (grad[j] as number) + 2 * customers * lam * g;
    }
    return pen;
  };
}

/**
 * −LL in θ: the sum over groups of the base objective at the group's parameters, the gradient in the
 * coefficients by the chain rule. `values` holds each group's `u` used covariate values; `gt`/`gl`
 * the θ index each feeds (−1: none).
 */
export function groupedObjective(
  kind: 'paretonbd' | 'bgnbd',
  values: ArrayLike<number>,
  u: number,
  gt: Int32Array,
  gl: Int32Array,
  objectives: readonly Objective[],
): Objective {
  const G = objectives.length;
  const phi = new Float64Array(4);
  const gg = new Float64Array(4);
  return (theta, grad) => {
    if (grad) grad.fill(0);
    let total = 0;
    for (let g = 0; g < G; g++) {
      let lt = 0;
      let ll = 0;
      for (let q = 0; q < u; q++) {
        const x = values[g * u + q] as number;
        const ti = gt[q] as number;
        const li = gl[q] as number;
        if (ti >= 0) lt += (theta[ti] as number) * x;
        if (li >= 0) ll += (theta[li] as number) * x;
      }
      phi[0] = theta[0] as number;
      phi[1] = (theta[1] as number) - lt;
      if (kind === 'paretonbd') {
        phi[2] = theta[2] as number;
        phi[3] = (theta[3] as number) - ll;
      } else {
        phi[2] = (theta[2] as number) + ll;
        phi[3] = (theta[3] as number) + ll;
      }
      const v = (objectives[g] as Objective)(phi, grad ? gg : null);
      if (!Number.isFinite(v)) return Number.POSITIVE_INFINITY;
      total += v;
      if (grad) {
        for (let i = 0; i < 4; i++) grad[i] = (grad[i] as number) + (gg[i] as number);
        const dl = kind === 'paretonbd' ? -(gg[3] as number) : (gg[2] as number) + (gg[3] as number);
        for (let q = 0; q < u; q++) {
          const x = values[g * u + q] as number;
          if (x === 0) continue;
          const ti = gt[q] as number;
          const li = gl[q] as number;
          if (ti >= 0) grad[ti] = (grad[ti] as number) - (gg[1] as number) * x;
          if (li >= 0) grad[li] = (grad[li] as number) + dl * x;
        }
      }
    }
    return total;
  };
}
