import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { choleskySolve } from '../../src/_lib/cholesky';
import { ConvergenceError, InsufficientDataError, ValidationError } from '../../src/_lib/errors';
import { createRng } from '../../src/_lib/random';
import { wasmSwitch } from '../../src/_lib/wasm';
import {
  bfgsUpdate,
  columnStats,
  columnSumSquares,
  countNonZero,
  type DesignArena,
  designArena,
  makeDesign,
  scaleColumns,
} from '../../src/churn/_design';
import { FeatureEncoder } from '../../src/churn/FeatureEncoder';
import { fitLogisticRegression, type LogisticRegressionOptions } from '../../src/churn/fitLogisticRegression';
import { rocAuc } from '../../src/churn/rocAuc';
import { trainChurnModel } from '../../src/churn/trainChurnModel';
import ref from './fixtures/sklearn_reference.json';
import {
  SKLEARN_L2,
  SKLEARN_TEST,
  SKLEARN_TRAIN,
  SYNTH_COLUMNS,
  syntheticChurnTable,
} from './fixtures/synthetic';

// Numbers in sklearn_reference.json come from scikit-learn (see sklearn_reference.py), not typed by hand.
const train = syntheticChurnTable(SKLEARN_TRAIN.n, SKLEARN_TRAIN.seed);
const test = syntheticChurnTable(SKLEARN_TEST.n, SKLEARN_TEST.seed);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

function predictAuc(
  coef: ArrayLike<number>,
  intercept: number,
  x: Float64Array,
  y: Uint8Array,
  p: number,
): number {
  const s = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    let e = intercept;
    for (let j = 0; j < p; j++) e += (coef[j] as number) * (x[i * p + j] as number);
    s[i] = e;
  }
  return rocAuc(s, y) as number;
}

describe('fitLogisticRegression against scikit-learn', () => {
  it('uses the fixture generated from this seed (same rows, same sizes)', () => {
    expect(ref.nTrain).toBe(train.n);
    expect(ref.nTest).toBe(test.n);
    expect(ref.columns).toEqual([...SYNTH_COLUMNS]);
    expect(ref.fits.map((f) => f.l2)).toEqual([...SKLEARN_L2, ...SKLEARN_L2]);
  });

  for (const f of ref.fits.filter((r) => r.design === 'raw')) {
    it(`matches LogisticRegression(C = 1/${f.l2}) on the raw design to 1e-4 and its held-out AUC to 0.005`, () => {
      const fit = fitLogisticRegression(train.x, train.y, train.p, { l2: f.l2 });
      const exact = f['newton-cholesky'];
      // newton-cholesky is exact: we agree to rounding error.
      expect(maxAbsDiff(fit.coefficients, exact.coefficients)).toBeLessThan(1e-8);
      expect(Math.abs(fit.intercept - exact.intercept)).toBeLessThan(1e-8);
      // lbfgs (sklearn's default solver) stops a little short of the optimum on this badly scaled
      // design (mrr ~ 50, seatUse ~ 0.6): its own distance from newton-cholesky is up to 3e-4.
      const lb = f.lbfgs;
      expect(maxAbsDiff(fit.coefficients, lb.coefficients)).toBeLessThan(5e-4);
      const auc = predictAuc(fit.coefficients, fit.intercept, test.x, test.y, test.p);
      expect(Math.abs(auc - exact.heldOutAuc)).toBeLessThan(0.005);
      expect(Math.abs(auc - lb.heldOutAuc)).toBeLessThan(0.005);
    });
  }

  for (const f of ref.fits.filter((r) => r.design === 'standardised')) {
    it(`trainChurnModel (standardised columns) matches StandardScaler + LogisticRegression(C = 1/${f.l2}) to 1e-4`, () => {
      const rows = Array.from({ length: train.n }, (_, i) => {
        const features: Record<string, number> = {};
        SYNTH_COLUMNS.forEach((c, j) => {
          features[c] = train.x[i * train.p + j] as number;
        });
        return { features, churned: train.y[i] === 1 };
      });
      const model = trainChurnModel(rows, { l2: f.l2 });
      const names = model.encoder.columnNames();
      const coef = model.logistic?.coefficients as Float64Array;
      const ours = SYNTH_COLUMNS.map((c) => coef[names.indexOf(c)] as number);
      expect(maxAbsDiff(ours, f['newton-cholesky'].coefficients)).toBeLessThan(1e-8);
      expect(maxAbsDiff(ours, f.lbfgs.coefficients)).toBeLessThan(1e-4);
      expect(model.logistic?.intercept).toBeCloseTo(f.lbfgs.intercept, 4);
      const testRows = Array.from({ length: test.n }, (_, i) => {
        const features: Record<string, number> = {};
        SYNTH_COLUMNS.forEach((c, j) => {
          features[c] = test.x[i * test.p + j] as number;
        });
        return { features };
      });
      const auc = rocAuc(model.predictProbabilities(testRows), test.y) as number;
      expect(Math.abs(auc - f.lbfgs.heldOutAuc)).toBeLessThan(0.005);
    });
  }
});

describe('tree ensemble against scikit-learn', () => {
  it('reaches the held-out AUC of HistGradientBoostingClassifier on the same table (within 0.01)', () => {
    const toRows = (t: typeof train) =>
      Array.from({ length: t.n }, (_, i) => {
        const features: Record<string, number> = {};
        SYNTH_COLUMNS.forEach((c, j) => {
          features[c] = t.x[i * t.p + j] as number;
        });
        return { features, churned: t.y[i] === 1 };
      });
    const model = trainChurnModel(toRows(train), { model: 'trees' });
    const auc = rocAuc(model.predictProbabilities(toRows(test)), test.y) as number;
    // sklearn: HGB 0.806, random forest 0.804 (the truth is linear, so logistic does best: 0.818).
    expect(auc).toBeGreaterThan(ref.trees.histGradientBoostingHeldOutAuc - 0.01);
  });
});

describe('fitLogisticRegression', () => {
  it('solves a four-point example exactly (gradient zero at the answer)', () => {
    // x = 0..3, y = 0,1,0,1, λ = 1 → β = 0.45288, b = −0.67931 (scikit-learn C = 1 agrees).
    const x = Float64Array.from([0, 1, 2, 3]);
    const y = [0, 1, 0, 1];
    const fit = fitLogisticRegression(x, y, 1, { l2: 1 });
    expect(fit.coefficients[0]).toBeCloseTo(0.4528752638869274, 10);
    expect(fit.intercept).toBeCloseTo(-0.6793128958303912, 10);
    // Stationarity: Σ(pᵢ − yᵢ)xᵢ + λβ = 0 and Σ(pᵢ − yᵢ) = 0 (intercept unpenalised).
    let g0 = 0;
    let g1 = 0;
    for (let i = 0; i < 4; i++) {
      const p = 1 / (1 + Math.exp(-((fit.intercept as number) + (fit.coefficients[0] as number) * i)));
      g0 += p - (y[i] as number);
      g1 += (p - (y[i] as number)) * i;
    }
    expect(g0).toBeCloseTo(0, 9);
    expect(g1 + (fit.coefficients[0] as number)).toBeCloseTo(0, 9);
  });

  it('with only an intercept, fits the log-odds of the base rate', () => {
    // 3 churners of 10: b = ln(0.3/0.7) = −0.8473
    const fit = fitLogisticRegression(new Float64Array(0), [1, 1, 1, 0, 0, 0, 0, 0, 0, 0], 0);
    expect(fit.intercept).toBeCloseTo(Math.log(3 / 7), 10);
  });

  it('shrinks coefficients towards zero as l2 grows', () => {
    const small = fitLogisticRegression(train.x, train.y, train.p, { l2: 0.01 });
    const big = fitLogisticRegression(train.x, train.y, train.p, { l2: 1e6 });
    const norm = (c: Float64Array) => Math.hypot(...c);
    expect(norm(big.coefficients)).toBeLessThan(norm(small.coefficients) / 10);
  });

  it('weights act like repeated rows', () => {
    const x = Float64Array.from([0, 1, 2, 3]);
    const w = fitLogisticRegression(x, [0, 1, 0, 1], 1, { weights: [1, 2, 1, 3] });
    const rep = fitLogisticRegression(Float64Array.from([0, 1, 1, 2, 3, 3, 3]), [0, 1, 1, 0, 1, 1, 1], 1);
    expect(w.coefficients[0]).toBeCloseTo(rep.coefficients[0] as number, 9);
    expect(w.intercept).toBeCloseTo(rep.intercept, 9);
  });

  it('refuses labels of one class (no finite intercept), like scikit-learn', () => {
    expect(() => fitLogisticRegression(Float64Array.from([0, 1]), [0, 0], 1)).toThrow(InsufficientDataError);
  });

  it('refuses no rows before sizing anything by p, even an absurd p (fuzz seed 78)', () => {
    for (const intercept of [true, false])
      expect(() => fitLogisticRegression([], [], 1_577_836_800_017, { intercept })).toThrow(
        /fitLogisticRegression: there are no rows to fit/,
      );
    expect(() => fitLogisticRegression([], [], 1_577_836_800_017)).toThrow(InsufficientDataError);
  });

  it('throws ConvergenceError on separable data without a penalty', () => {
    const x = Float64Array.from([0, 1, 2, 3]);
    expect(() => fitLogisticRegression(x, [0, 0, 1, 1], 1, { l2: 0, maxIterations: 50 })).toThrow(
      ConvergenceError,
    );
  });

  it('rejects non-finite cells and labels other than 0/1 with located issues', () => {
    expect(() => fitLogisticRegression(Float64Array.from([0, Number.NaN]), [0, 1], 1)).toThrow(
      ValidationError,
    );
    try {
      fitLogisticRegression(Float64Array.from([0, 1]), [0, 2], 1);
    } catch (e) {
      expect((e as ValidationError).issues[0]?.index).toBe(1);
      expect((e as ValidationError).message).toMatch(/^fitLogisticRegression: /);
    }
    expect(() => fitLogisticRegression(Float64Array.from([0, 1]), [0, 2], 1)).toThrow(ValidationError);
  });

  it('property: the fitted point is a stationary point of the penalised objective', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -5, max: 5, noNaN: true }),
            fc.double({ min: -5, max: 5, noNaN: true }),
            fc.boolean(),
          ),
          {
            minLength: 4,
            maxLength: 40,
          },
        ),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (data, l2) => {
          fc.pre(data.some((d) => d[2]) && data.some((d) => !d[2]));
          const x = Float64Array.from(data.flatMap((d) => [d[0], d[1]]));
          const y = data.map((d) => (d[2] ? 1 : 0));
          const fit = fitLogisticRegression(x, y, 2, { l2 });
          const g = new Float64Array(3);
          for (let i = 0; i < data.length; i++) {
            const e =
              fit.intercept +
              (fit.coefficients[0] as number) * (x[2 * i] as number) +
              (fit.coefficients[1] as number) * (x[2 * i + 1] as number);
            const r = 1 / (1 + Math.exp(-e)) - (y[i] as number);
            g[0] = (g[0] as number) + r * (x[2 * i] as number);
            g[1] = (g[1] as number) + r * (x[2 * i + 1] as number);
            g[2] = (g[2] as number) + r;
          }
          expect(Math.abs((g[0] as number) + l2 * (fit.coefficients[0] as number))).toBeLessThan(1e-7);
          expect(Math.abs((g[1] as number) + l2 * (fit.coefficients[1] as number))).toBeLessThan(1e-7);
          expect(Math.abs(g[2] as number)).toBeLessThan(1e-7);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** Max-norm of the penalised gradient Xᵀ(σ(Xβ + b) − y) + λβ (and its intercept part), computed plainly. */
function penalisedGradient(
  x: Float64Array,
  y: ArrayLike<number>,
  p: number,
  coef: ArrayLike<number>,
  b: number,
  l2: number,
  w?: ArrayLike<number>,
  intercept = true,
): number {
  const g = new Float64Array(p + 1);
  for (let i = 0; i < y.length; i++) {
    let e = b;
    for (let j = 0; j < p; j++) e += (coef[j] as number) * (x[i * p + j] as number);
    const r = ((w?.[i] as number | undefined) ?? 1) * (1 / (1 + Math.exp(-e)) - (y[i] as number));
    for (let j = 0; j < p; j++) g[j] = (g[j] as number) + r * (x[i * p + j] as number);
    g[p] = (g[p] as number) + r;
  }
  let worst = 0;
  for (let j = 0; j <= (intercept ? p : p - 1); j++)
    worst = Math.max(worst, Math.abs((g[j] as number) + (j < p ? l2 * (coef[j] as number) : 0)));
  return worst;
}

describe('the subsampled Hessian of large fits', () => {
  // 30,000 rows: the first Hessians come from every 6th row, the third from every 2nd, then BFGS
  // updates; only the gradient is exact. The answer must still be the exact optimum (gradient 0).
  const n = 30_000;
  const rng = createRng('logistic-large');
  const dense = new Float64Array(n * 12);
  const oneHot = new Float64Array(n * 12);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let e = -0.5;
    for (let j = 0; j < 12; j++) {
      const v = rng.normal();
      dense[i * 12 + j] = v;
      e += (j < 6 ? 0.4 : 0) * v;
    }
    const level = rng.int(12);
    oneHot[i * 12 + level] = 1;
    y[i] = rng.next() < 1 / (1 + Math.exp(-e - (level < 3 ? 1 : 0))) ? 1 : 0;
  }

  it('reaches the exact optimum on dense data (penalised gradient below 1e-6 over 30,000 rows)', () => {
    const fit = fitLogisticRegression(dense, y, 12, { l2: 1 });
    expect(penalisedGradient(dense, y, 12, fit.coefficients, fit.intercept, 1)).toBeLessThan(1e-6);
    expect(fit.iterations).toBeLessThan(15);
  });

  it('reaches the exact optimum on one-hot (sparse) data', () => {
    const fit = fitLogisticRegression(oneHot, y, 12, { l2: 0.5 });
    expect(penalisedGradient(oneHot, y, 12, fit.coefficients, fit.intercept, 0.5)).toBeLessThan(1e-6);
  });

  it('converges when every 16th row is the only one of its kind (the first strides see only those)', () => {
    // 80,000 rows: the first two Hessians read every 16th row, which are exactly the "x" rows.
    const m = 80_000;
    const x = new Float64Array(m);
    const yy = new Uint8Array(m);
    for (let i = 0; i < m; i++) {
      x[i] = i % 16 === 0 ? 1 : 0;
      yy[i] = (i * 31) % 7 < 2 ? 1 : 0;
    }
    const fit = fitLogisticRegression(x, yy, 1, { l2: 1 });
    expect(penalisedGradient(x, yy, 1, fit.coefficients, fit.intercept, 1)).toBeLessThan(1e-6);
  });

  it('converges when every third row shares one category (a stride that aliases with the data)', () => {
    // 50,000 rows: gender and plan repeat every 3 rows, churn every 7; the first Newton steps see
    // every 3rd row only (constant features there). Regression: ConvergenceError after 100 steps.
    const rows = Array.from({ length: 50_000 }, (_, i) => ({
      features: { gender: i % 3 === 0 ? 'f' : 'm', plan: ['a', 'b', 'c'][i % 3] as string },
      churned: (i * 31) % 7 < 2,
    }));
    const model = trainChurnModel(rows);
    // Churn (2 of every 7 rows) is independent of the 3-row pattern: every customer ~2/7.
    const [p] = model.predictProbabilities([{ features: { gender: 'f', plan: 'a' } }]);
    expect(p).toBeCloseTo(2 / 7, 3);
  });
});

describe('WebAssembly and TypeScript kernels of the dense logistic fit', () => {
  afterEach(() => {
    wasmSwitch.disabled = false;
  });

  /** Dense rows (every cell non-zero), a label from a few columns; n and p chosen to hit every tail. */
  function dense(n: number, p: number, seed: string) {
    const rng = createRng(seed);
    const x = new Float64Array(n * p);
    const y = new Uint8Array(n);
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let e = -0.4;
      for (let j = 0; j < p; j++) {
        const v = rng.normal() + (j % 3 === 0 ? 2 : 0.1);
        x[i * p + j] = v;
        if (j < 3) e += 0.5 * v * (j % 2 === 0 ? 1 : -1);
      }
      y[i] = rng.next() < 1 / (1 + Math.exp(-e)) ? 1 : 0;
      w[i] = i % 11 === 0 ? 0 : 0.5 + rng.int(3);
    }
    return { x, y, w };
  }

  function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) return false;
    return true;
  }

  it('runs the kernels in WebAssembly here (Node has SIMD), and not while the switch is set', () => {
    expect(designArena(10, 3)).not.toBeNull();
    wasmSwitch.disabled = true;
    expect(designArena(10, 3)).toBeNull();
  });

  it('gives bit-identical fits (odd and even widths, tails of rows, weights, no intercept, full Hessian)', () => {
    // 6,007 rows: the Hessian is subsampled (stride 2) then full; 5,003 rows with weights (and
    // zero weights); widths 1, 2, 5, 7, 8 and 41 cover the odd column and the 2 × 4 tile tails.
    const cases: [number, number, LogisticRegressionOptions][] = [
      [6007, 8, { l2: 1 }],
      [5003, 7, { l2: 0.3 }],
      [1001, 1, { l2: 2, intercept: false }],
      [997, 2, { l2: 1, tolerance: 1e-13 }],
      [3001, 41, { l2: 10 }],
      [9001, 5, { l2: 1 }], // a sweep in two kernel calls (8,192 rows each)
    ];
    for (const [n, p, options] of cases) {
      const { x, y, w } = dense(n, p, `bits-${n}-${p}`);
      const opts = n === 5003 ? { ...options, weights: w } : options;
      wasmSwitch.disabled = true;
      const ts = fitLogisticRegression(x, y, p, opts);
      wasmSwitch.disabled = false;
      const wasm = fitLogisticRegression(x, y, p, opts);
      expect(same(wasm.coefficients, ts.coefficients), `n ${n} p ${p}`).toBe(true);
      expect(Object.is(wasm.intercept, ts.intercept)).toBe(true);
      expect([wasm.iterations, wasm.objective, wasm.gradientNorm]).toEqual([
        ts.iterations,
        ts.objective,
        ts.gradientNorm,
      ]);
      const g = penalisedGradient(
        x,
        y,
        p,
        wasm.coefficients,
        wasm.intercept,
        options.l2 ?? 1,
        opts.weights,
        options.intercept,
      );
      expect(g).toBeLessThan(1e-6);
    }
  });

  it('gives bit-identical sparse fits with the Newton kernel and with the TypeScript solve and update', () => {
    // One-hot rows (share of non-zero cells < 0.4: the sparse design), whose Newton steps solve with
    // the WebAssembly kernel unless the switch is set; weights (with zeros), no intercept, and a long
    // run of steps (l2 small, tolerance tight) so BFGS updates happen between Hessians.
    const cases: [number, number, LogisticRegressionOptions][] = [
      [7412, 22, { l2: 10 }],
      [3001, 40, { l2: 0.01, tolerance: 1e-13 }],
      [2003, 9, { l2: 1, intercept: false }],
      [5003, 15, { l2: 0.5 }],
    ];
    for (const [n, p, options] of cases) {
      const rng = createRng(`sparse-${n}-${p}`);
      const x = new Float64Array(n * p);
      const y = new Uint8Array(n);
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const a = rng.int(p);
        const b = rng.int(p);
        x[i * p + a] = 1;
        x[i * p + b] = rng.next() < 0.5 ? 1 : rng.normal();
        y[i] = rng.next() < (a % 3 === 0 ? 0.6 : 0.25) ? 1 : 0;
        w[i] = i % 13 === 0 ? 0 : 1 + rng.int(2);
      }
      expect(countNonZero(x)).toBeLessThan(0.4 * n * p);
      const opts = n === 5003 ? { ...options, weights: w } : options;
      wasmSwitch.disabled = true;
      const ts = fitLogisticRegression(x, y, p, opts);
      wasmSwitch.disabled = false;
      const wasm = fitLogisticRegression(x, y, p, opts);
      expect(same(wasm.coefficients, ts.coefficients), `n ${n} p ${p}`).toBe(true);
      expect([wasm.intercept, wasm.iterations, wasm.objective, wasm.gradientNorm]).toEqual([
        ts.intercept,
        ts.iterations,
        ts.objective,
        ts.gradientNorm,
      ]);
    }
  });

  it('sweeps bit-identically at extreme linear predictors (every branch of exp and log1p, per lane)', () => {
    // e = x₀ (coefficients [1, 0, 0], intercept 0): both sides of each branch point of exp(−|e|)
    // (|e| ≈ 3.7e-9, ln2/2, 708 where 2^k leaves the normal range, 745 where it underflows to 0)
    // and of log1p(z) (z below 1.9e-9, above √2 − 1), zero and non-zero weights, both label values.
    const edges = [0, 1e-10, 3.7e-9, 3.8e-9, 0.3, 0.34657359027997264, 0.3466, 0.5, 0.8, 0.85, 0.881, 1, 5];
    const tiny = [20.1, 20.2, 20.5, 21, 36]; // z = exp(−|e|) below 1.9e-9
    const far = [700, 708.3, 708.5, 709.5, 740, 745.1, 745.2, 746, 800, 1e300];
    const es = [...edges, ...tiny, ...far].flatMap((v) => [v, -v]);
    const rng = createRng('extreme-e');
    for (let k = 0; k < 40; k++) es.push(rng.normal() * 25);
    const b = Float64Array.from([1, 0, 0, 0]);
    const run = (rows: number[], w: number[]) => {
      const n = rows.length;
      const x = new Float64Array(n * 3);
      rows.forEach((e, i) => {
        x[i * 3] = e;
        x[i * 3 + 1] = 1 + i; // non-zero: a dense design
        x[i * 3 + 2] = -2 - i;
      });
      const y = Float64Array.from(rows, (_, i) => i % 2);
      const ww = Float64Array.from(w);
      const sweep = () => {
        const design = makeDesign(x, n, 3, y, ww);
        const grad = new Float64Array(4);
        const f = design.pass(b, 0, grad); // no penalty: every row's loss shows in f
        return [f, ...grad, ...design.prob];
      };
      wasmSwitch.disabled = true;
      const ts = sweep();
      wasmSwitch.disabled = false;
      return same(sweep(), ts);
    };
    let differ = 0;
    // One row (the kernel's single-row tail), pairs (its two lanes), and every row in one sweep.
    for (let k = 0; k < es.length; k++) {
      const e = es[k] as number;
      const e2 = es[(k + 1) % es.length] as number;
      if (!run([e], [1]) || !run([e, e2], [1, 1]) || !run([e2, e], [k % 3 === 0 ? 0 : 1, 1])) differ++;
    }
    const weights = es.map((_, i) => (i % 7 === 0 ? 0 : 1 + (i % 3)));
    if (!run(es, weights)) differ++;
    expect(differ).toBe(0);
  });

  it("solves Newton's system in WebAssembly exactly as choleskySolve (and refuses the same matrices)", () => {
    const p = 69;
    const x = Float64Array.from({ length: 4 * p }, (_, k) => 1 + (k % 7));
    const design = makeDesign(x, 4, p, new Float64Array(4), new Float64Array(4).fill(1));
    expect(designArena(4, p)).not.toBeNull(); // so `design` runs the kernel
    const rng = createRng('cholesky');
    let differ = 0;
    for (const m of [1, 2, 3, 5, 8, 41, 70]) {
      for (let trial = 0; trial < 4; trial++) {
        // B·Bᵀ + εI (positive definite), then broken: a negative, zero, NaN or infinite pivot.
        const b = Float64Array.from({ length: m * m }, () => rng.normal());
        const h = new Float64Array(m * m);
        for (let i = 0; i < m; i++)
          for (let j = 0; j < m; j++) {
            let s = i === j ? 1e-3 : 0;
            for (let k = 0; k < m; k++) s += (b[i * m + k] as number) * (b[j * m + k] as number);
            h[i * m + j] = s;
          }
        const bad = trial === 0 ? null : [-1, 0, Number.NaN, Infinity][(trial + m) % 4];
        if (bad !== null) h[(m - 1) * m + (m - 1)] = bad as number;
        const g = Float64Array.from({ length: m + 1 }, () => rng.normal() * 10);
        const ts = new Float64Array(m).fill(7);
        const wasm = new Float64Array(m).fill(7);
        const okTs = choleskySolve(h, g, ts, m);
        const okWasm = design.solve(h, g, wasm, m);
        if (okTs !== okWasm || !same(ts, wasm)) differ++;
        if (trial === 0 && !okTs) differ++; // the positive-definite one must solve
      }
    }
    expect(differ).toBe(0);
  });

  it('updates the Hessian by BFGS in WebAssembly exactly as bfgsUpdate (and skips the same updates)', () => {
    const p = 69;
    const x = Float64Array.from({ length: 4 * p }, (_, k) => 1 + (k % 7));
    const design = makeDesign(x, 4, p, new Float64Array(4), new Float64Array(4).fill(1));
    const rng = createRng('bfgs');
    let differ = 0;
    for (const m of [1, 2, 5, 41, 70]) {
      for (let trial = 0; trial < 4; trial++) {
        const h0 = Float64Array.from({ length: m * m }, () => rng.normal());
        for (let i = 0; i < m; i++) h0[i * m + i] = (h0[i * m + i] as number) + m;
        const s = Float64Array.from({ length: m }, () => rng.normal() * 1e-3);
        const gPrev = Float64Array.from({ length: m + 1 }, () => rng.normal());
        // yᵀs > 0 (a curvature step), < 0 (skipped), NaN, infinite (skipped).
        const g = Float64Array.from(
          gPrev,
          (v, a) => v + (trial === 1 ? -1 : 1) * 50 * ((s[a] as number) ?? 0),
        );
        if (trial === 2) g[0] = Number.NaN;
        if (trial === 3) g[0] = Infinity;
        const ts = h0.slice();
        const wasm = h0.slice();
        bfgsUpdate(ts, s, g, gPrev, m, new Float64Array(2 * m));
        design.update(wasm, s, g, gPrev, m, new Float64Array(2 * m));
        if (!same(ts, wasm)) differ++;
        if (trial === 0 && same(ts, h0)) differ++; // the curvature step must change h
      }
    }
    expect(differ).toBe(0);
  });

  it('trainChurnModel gives the same model both ways, and equals fitLogisticRegression on its matrix', () => {
    const { x, y } = dense(4003, 9, 'bits-train');
    const rows = Array.from({ length: 4003 }, (_, i) => {
      const features: Record<string, number | string | null> = {};
      for (let j = 0; j < 9; j++) features[`f${j}`] = x[i * 9 + j] as number;
      if (i % 5 === 0) features.f2 = null; // a missing-value indicator column
      features.plan = ['a', 'b', 'c'][i % 3] as string;
      return { features, churned: y[i] === 1 };
    });
    const denseRows = rows.map((r) => {
      const { f2: _f2, plan: _plan, ...rest } = r.features;
      return { features: rest, churned: r.churned };
    });
    for (const table of [rows, denseRows]) {
      wasmSwitch.disabled = true;
      const ts = trainChurnModel(table).toJSON();
      wasmSwitch.disabled = false;
      const wasm = trainChurnModel(table).toJSON();
      expect(wasm).toEqual(ts);
      const enc = FeatureEncoder.fitTransform(table.map((r) => r.features));
      const direct = fitLogisticRegression(
        enc.uncentred,
        Uint8Array.from(table, (r) => (r.churned ? 1 : 0)),
        enc.encoder.width,
        { l2: 10 },
      );
      expect(same(wasm.logistic?.coefficients ?? [], direct.coefficients)).toBe(true);
    }
  });

  it('column kernels (counts, sums, largest |x|, squares, scaling) equal the TypeScript loops', () => {
    for (const d of [1, 4, 7]) {
      const n = 8195; // more than one kernel call (8,192 rows each)
      const rng = createRng(`cols-${d}`);
      const arena = designArena(n, d) as DesignArena;
      const plain = new Float64Array(n * d);
      for (let k = 0; k < n * d; k++) {
        const r = rng.next();
        plain[k] = r < 0.05 ? Number.NaN : r < 0.07 ? -Infinity : r < 0.2 ? 0 : rng.normal() * 1e3;
      }
      arena.matrix.set(plain);
      const stats = (x: Float64Array, a: DesignArena | null) => {
        const cnt = new Float64Array(d);
        const sum = new Float64Array(d);
        const mx = new Float64Array(d);
        columnStats(x, n, d, cnt, sum, mx, a);
        return [cnt, sum, mx];
      };
      const [c1, s1, m1] = stats(plain, null);
      const [c2, s2, m2] = stats(arena.matrix, arena);
      expect(
        same(c1 as Float64Array, c2 as Float64Array) && same(s1 as Float64Array, s2 as Float64Array),
      ).toBe(true);
      expect(same(m1 as Float64Array, m2 as Float64Array)).toBe(true);
      // Finite cells only for the squares and the scaling (as the encoder has them by then).
      for (let k = 0; k < n * d; k++) if (!Number.isFinite(plain[k] as number)) plain[k] = 1.5;
      arena.matrix.set(plain);
      const mean = Float64Array.from({ length: d }, (_, j) => j * 0.37 - 1);
      const sqA = new Float64Array(d);
      const sqB = new Float64Array(d);
      columnSumSquares(plain, n, d, mean, sqA, null);
      columnSumSquares(arena.matrix, n, d, mean, sqB, arena);
      expect(same(sqA, sqB)).toBe(true);
      const inv = Float64Array.from({ length: d }, (_, j) => 1 / (j + 0.3));
      const nzA = scaleColumns(plain, n, d, inv, null);
      const nzB = scaleColumns(arena.matrix, n, d, inv, arena);
      expect(nzB).toBe(nzA);
      expect(same(plain, arena.matrix)).toBe(true);
    }
  });
});
