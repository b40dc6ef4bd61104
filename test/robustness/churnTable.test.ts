import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VitalsError } from '../../src/_lib/errors';
import { ChurnModel, FeatureEncoder, trainChurnModel } from '../../src/churn/index';

/**
 * The columnar input of the churn models (`ChurnTrainingTable` / `ChurnColumns`), fuzzed as the
 * suite in fuzz.test.ts fuzzes every public function: hostile tables (wrong types at every level,
 * wrong lengths, prototype keys, typed arrays of the wrong kind, NaN/±Infinity/-0, labels out of
 * range, unknown keys) go to trainChurnModel, to a model's predictProbabilities and predict, and to
 * FeatureEncoder.encodeTable. Each call must return finite results or throw a VitalsError whose
 * message names the function, within 2 s. FUZZ_CASES (default 300 here) and FUZZ_SEED tune a run.
 */
const CASES = Number(process.env.FUZZ_CASES ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);

const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];
const key = fc.constantFrom('a', 'b', 'plan', ...PROTO_KEYS);
const weirdNumber = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e308, -1e308, 5e-324),
);
const scalar = fc.oneof(
  weirdNumber,
  fc.constantFrom('', ' ', 'x', '7', '1e3', 'NaN', '__proto__', null, undefined, true, false),
  fc.constantFrom({}, [], new Date(0), new Map(), Object.create(null)),
);
const len = fc.integer({ min: 0, max: 6 });
const column = len.chain((n) =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.array(weirdNumber, { minLength: n, maxLength: n }).map((v) => Float64Array.from(v)),
    },
    { weight: 2, arbitrary: fc.array(fc.option(weirdNumber), { minLength: n, maxLength: n }) },
    {
      weight: 2,
      arbitrary: fc.array(fc.option(fc.constantFrom('pro', 'free', '', ' 7 ', 'x')), {
        minLength: n,
        maxLength: n,
      }),
    },
    { weight: 1, arbitrary: fc.array(scalar, { minLength: n, maxLength: n }) },
    { weight: 1, arbitrary: fc.constantFrom(new Int32Array(n), new Uint8Array(n), new Float32Array(n)) },
    { weight: 1, arbitrary: scalar },
  ),
);
const labels = len.chain((n) =>
  fc.oneof(
    fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }).map((v) => Uint8Array.from(v)),
    fc.array(scalar, { minLength: n, maxLength: n }),
    scalar,
  ),
);
const columnsOf = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(key, column, { maxKeys: 4 }) },
  { weight: 1, arbitrary: scalar },
);
const masks = fc.oneof(
  fc.dictionary(
    key,
    len.chain((n) =>
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }).map((v) => Uint8Array.from(v)),
    ),
    { maxKeys: 2 },
  ),
  scalar,
);
const table = fc.record(
  {
    columns: columnsOf,
    categorical: columnsOf,
    missing: masks,
    churned: labels,
    customerIds: fc.oneof(fc.array(fc.constantFrom('c1', 'c2', '__proto__'), { maxLength: 6 }), scalar),
    names: fc.oneof(fc.array(key, { maxLength: 4 }), scalar),
    asOf: scalar,
    colums: scalar,
  },
  { requiredKeys: [] },
);
/** Valid tables with hostile contents (odd cells, prototype names), sometimes with one defect. */
const nearValid = fc.integer({ min: 2, max: 8 }).chain((n) =>
  fc.record({
    columns: fc.dictionary(
      fc.constantFrom('a', 'constructor', '__proto__', 'toString'),
      fc.oneof(
        fc.array(weirdNumber, { minLength: n, maxLength: n }).map((v) => Float64Array.from(v)),
        fc.array(fc.option(weirdNumber), { minLength: n, maxLength: n }),
      ),
      { maxKeys: 3 },
    ),
    categorical: fc.dictionary(
      fc.constantFrom('plan', 'valueOf', 'hasOwnProperty'),
      fc.array(fc.option(fc.constantFrom('pro', 'free', '', ' 7 ', '1e999', '__proto__')), {
        minLength: n,
        maxLength: n,
      }),
      { maxKeys: 2 },
    ),
    churned: fc.array(fc.boolean(), { minLength: n, maxLength: n }).map((y) => [true, false, ...y.slice(2)]),
    customerIds: fc.constant(Array.from({ length: n }, (_, i) => `c${i}`)),
  }),
);
const anyTable = fc.oneof(
  nearValid,
  fc
    .tuple(
      nearValid,
      fc.constantFrom('columns', 'categorical', 'churned', 'customerIds', 'missing', 'asOf'),
      scalar,
    )
    .map(([t, k, v]) => ({ ...t, [k]: v })),
  table,
);
const options = fc.oneof(
  fc.constant(undefined),
  fc.record(
    {
      model: fc.constantFrom('logistic', 'trees', 'forest'),
      sensitive: fc.oneof(fc.array(key, { maxLength: 2 }), scalar),
      trees: fc.constant({ trees: 3 }),
      maxCategories: fc.oneof(fc.integer({ min: 0, max: 3 }), scalar),
    },
    { requiredKeys: [] },
  ),
);

/**
 * Throws unless `f` returns finite probabilities (a Float64Array, or predictions) or throws a
 * VitalsError with a located message (starting with `fn`, or naming where, as the suite requires:
 * a ConvergenceError of the inner fit says `fitLogisticRegression: ...`), within 2 s.
 */
function check(fn: string, f: () => unknown): void {
  const t0 = performance.now();
  let out: unknown;
  try {
    out = f();
  } catch (e) {
    if (!(e instanceof VitalsError))
      throw new Error(`${fn} threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
    const message = (e as Error).message;
    expect(message.startsWith(fn) || message.includes(':')).toBe(true);
    return;
  } finally {
    expect(performance.now() - t0).toBeLessThan(2000);
  }
  const probs =
    out instanceof Float64Array
      ? out
      : Array.isArray(out)
        ? out.map((p: { probability: number }) => p.probability)
        : [];
  for (const p of probs) expect(Number.isFinite(p)).toBe(true);
}

describe('fuzzing the churn models with hostile tables', () => {
  const model = trainChurnModel(
    [0, 1, 2, 3, 4, 5].map((i) => ({
      features: { a: i, plan: i % 2 === 0 ? 'pro' : 'free' },
      churned: i % 3 === 0,
    })),
    { l2: 1 },
  );
  const trees = trainChurnModel(
    [0, 1, 2, 3, 4, 5].map((i) => ({ features: { a: i, b: -i, plan: 'x' }, churned: i % 2 === 0 })),
    { model: 'trees', trees: { trees: 3 } },
  );
  const encoder = FeatureEncoder.fit([
    { a: 1, plan: 'pro' },
    { a: 2, plan: null },
  ]);

  it('trainChurnModel returns a model or throws a located VitalsError', () => {
    let trained = 0;
    fc.assert(
      fc.property(anyTable, options, (t, o) => {
        check('trainChurnModel', () => {
          const m = trainChurnModel(t as never, o as never);
          expect(m).toBeInstanceOf(ChurnModel);
          trained++;
          return m.predictProbabilities(t as never);
        });
      }),
      { numRuns: CASES, seed: SEED },
    );
    // Not only refusals: some hostile tables are valid (odd cells, prototype names) and train.
    console.log(`trained on ${trained} of ${CASES} hostile tables`);
    if (CASES >= 300) expect(trained).toBeGreaterThan(0);
  });

  it('predictProbabilities, predict and encodeTable take any table without a raw exception', () => {
    fc.assert(
      fc.property(anyTable, (t) => {
        for (const m of [model, trees]) {
          check('ChurnModel.predictProbabilities', () => m.predictProbabilities(t as never));
          check('ChurnModel.predict', () => m.predict(t as never));
        }
        // The encoded matrix is not checked for finiteness: an extreme cell (-9e307) standardises to
        // -Infinity there, as `encode` of the same row gives (the probabilities stay finite).
        check('FeatureEncoder.encodeTable', () => {
          encoder.encodeTable(t as never);
        });
      }),
      { numRuns: CASES, seed: SEED + 1 },
    );
  });
});
