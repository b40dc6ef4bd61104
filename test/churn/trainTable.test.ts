import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InsufficientDataError, ValidationError } from '../../src/_lib/errors';
import {
  type ChurnColumns,
  ChurnModel,
  type ChurnRow,
  type ChurnTrainingTable,
  churnFeatures,
  churnLabels,
  FeatureEncoder,
  featureRows,
  type TrainChurnModelOptions,
  trainChurnModel,
} from '../../src/churn/index';
import type { FeatureValue, ScoringRow } from '../../src/churn/types';

/**
 * The rows a table stands for, built here by hand (not with the library's own conversion): one
 * plain `features` object per row, a numeric cell `null` when null or masked (NaN and ±Infinity
 * stay numbers), a text cell as it is.
 */
function rowsOf(t: ChurnColumns, churned?: readonly boolean[]): ChurnRow[] {
  const n = churned?.length ?? t.customerIds?.length ?? 0;
  const out: ChurnRow[] = [];
  for (let i = 0; i < n; i++) {
    const features: Record<string, FeatureValue> = {};
    for (const [name, col] of Object.entries(t.columns)) {
      const v = col[i] as number | null;
      features[name] = t.missing?.[name]?.[i] === 1 ? null : v;
    }
    for (const [name, col] of Object.entries(t.categorical ?? {})) features[name] = col[i] as string | null;
    out.push({ features, churned: churned?.[i] ?? false });
  }
  return out;
}

const bools = (y: Uint8Array): boolean[] => Array.from(y, (v) => v === 1);

describe('trainChurnModel(table)', () => {
  // 8 customers; plan is text, seats has a null and a masked cell, tickets is typed.
  const table: ChurnTrainingTable = {
    columns: {
      tickets: Float64Array.of(0, 4, 1, 5, 0, 3, 2, 6),
      seats: [3, null, 10, 1, 8, 2, 5, 1],
    },
    missing: { seats: Uint8Array.of(0, 0, 0, 0, 0, 1, 0, 0) },
    categorical: { plan: ['pro', 'free', 'pro', null, 'pro', 'free', ' ', 'free'] },
    churned: Uint8Array.of(0, 1, 0, 1, 0, 1, 0, 1),
  };
  const rows = rowsOf(table, bools(table.churned as Uint8Array));

  it('runs the TSDoc example', () => {
    const fromColumns = trainChurnModel({
      columns: { tickets30d: Float64Array.of(0, 4, 1, 5) },
      categorical: { plan: ['pro', 'free', 'pro', 'free'] },
      churned: [false, true, false, true],
    });
    const p = fromColumns.predictProbabilities({
      columns: { tickets30d: [4] },
      categorical: { plan: ['free'] },
    });
    expect(p[0]).toBeCloseTo(0.6033, 4);
    const rows: ChurnRow[] = [0, 4, 1, 5].map((t, i) => ({
      features: { tickets30d: t, plan: i % 2 === 0 ? 'pro' : 'free' },
      churned: i % 2 === 1,
    }));
    expect(fromColumns.toJSON()).toStrictEqual(trainChurnModel(rows).toJSON());
  });

  it('gives the model of the equivalent rows, bit for bit (logistic and trees)', () => {
    const fromTable = trainChurnModel(table);
    expect(fromTable.toJSON()).toStrictEqual(trainChurnModel(rows).toJSON());
    // The encoding: plan's blank and null cells are missing; seats' null and masked cells too.
    expect(fromTable.encoder.columnNames()).toEqual([
      'plan=free',
      'plan=pro',
      'plan (missing)',
      'seats',
      'seats (missing)',
      'tickets',
    ]);
    // seats' imputed mean: (3 + 10 + 1 + 8 + 5 + 1) / 6 = 28 / 6.
    expect(fromTable.encoder.features.find((f) => f.name === 'seats')?.impute).toBe(28 / 6);
    const opts: TrainChurnModelOptions = { model: 'trees', trees: { trees: 5 }, calibration: 'none' };
    expect(trainChurnModel(table, opts).toJSON()).toStrictEqual(trainChurnModel(rows, opts).toJSON());
  });

  it('takes boolean labels, arrays and typed columns alike', () => {
    const same = trainChurnModel({
      ...table,
      columns: {
        tickets: Array.from(table.columns.tickets as Float64Array),
        seats: table.columns.seats as (number | null)[],
      },
      churned: bools(table.churned as Uint8Array),
    });
    expect(same.toJSON()).toStrictEqual(trainChurnModel(table).toJSON());
  });

  it('scores the table as its rows (predictProbabilities and predict), including a training table', () => {
    for (const model of [
      trainChurnModel(rows),
      trainChurnModel(rows, { model: 'trees', trees: { trees: 5 } }),
    ]) {
      expect(model.predictProbabilities(table)).toStrictEqual(model.predictProbabilities(rows));
      expect(model.predict(table)).toStrictEqual(model.predict(rows));
      const { churned: _, ...features } = table;
      expect(model.predictProbabilities(features)).toStrictEqual(model.predictProbabilities(rows));
    }
  });

  it("scores a column of the other kind by the rows' rules (numbers as category keys, text as numbers)", () => {
    // code: mixed numbers and text in training, so categorical; mrr: numeric.
    const train: ChurnRow[] = [
      { features: { code: 7, mrr: 10 }, churned: false },
      { features: { code: 'x', mrr: 50 }, churned: true },
      { features: { code: 7, mrr: 20 }, churned: false },
      { features: { code: 'y', mrr: 60 }, churned: true },
    ];
    const scoring: ChurnColumns = {
      columns: { code: [7, 7, null, 3] },
      missing: { code: Uint8Array.of(0, 1, 0, 0) },
      categorical: { mrr: ['10', 'x', ' 55 ', null] },
    };
    const rows = rowsOf(scoring, [false, false, false, false]).map((r) => ({ features: r.features }));
    for (const model of [
      trainChurnModel(train, { l2: 1 }),
      trainChurnModel(train, { model: 'trees', trees: { trees: 3 } }),
    ]) {
      expect(model.encoder.features.map((f) => f.type)).toEqual(['categorical', 'numeric']);
      expect(model.predictProbabilities(scoring)).toStrictEqual(model.predictProbabilities(rows));
      expect(model.predict(scoring)).toStrictEqual(model.predict(rows));
    }
    // Row 1's masked 7 is missing, not category "7": it encodes like row 2's null.
    const enc = trainChurnModel(train, { l2: 1 }).encoder;
    const x = enc.encodeTable(scoring);
    const d = enc.width;
    expect(Array.from(x.subarray(d, 2 * d - 1))).toEqual(Array.from(x.subarray(2 * d, 3 * d - 1)));
  });

  it('trains on a churnFeatures table plus labels as it is, as on featureRows', () => {
    const day = 86_400_000;
    const t0 = Date.UTC(2025, 0, 1);
    const events = [];
    for (let c = 0; c < 12; c++)
      for (let k = 0; k <= c % 4; k++)
        events.push({ customerId: `c${c}`, type: 'login', timestamp: t0 + (k * 10 + c) * day });
    for (let c = 0; c < 12; c += 2)
      events.push({ customerId: `c${c}`, type: 'login', timestamp: t0 + 80 * day });
    const asOf = t0 + 60 * day;
    const feats = churnFeatures(events, { asOf });
    const labels = churnLabels(events, { asOf, horizon: { days: 30 } });
    expect(labels.customerIds).toEqual(feats.customerIds);
    const model = trainChurnModel({ ...feats, churned: labels.churned });
    const viaRows = trainChurnModel(
      featureRows(feats).map((r, i) => ({ features: r.features, churned: labels.churned[i] === 1 })),
    );
    expect(model.toJSON()).toStrictEqual(viaRows.toJSON());
    expect(model.predict(feats)).toStrictEqual(viaRows.predict(featureRows(feats)));
  });

  it('drops sensitive columns and gives the proxy warnings of the rows', () => {
    // 200 customers: tenureDays = 200 or 400 by gender, + (i mod 7): a constructed proxy of gender.
    const n = 200;
    const gender = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'f' : 'm'));
    const big: ChurnTrainingTable = {
      columns: {
        tenureDays: Float64Array.from(gender, (g, i) => (g === 'f' ? 200 : 400) + (i % 7)),
        tickets: Float64Array.from(gender, (_, i) => i % 5),
      },
      categorical: { gender },
      churned: Array.from(gender, (_, i) => i % 5 >= 3 !== (i % 11 === 0)),
    };
    const opts = { sensitive: ['gender'] };
    const fromTable = trainChurnModel(big, opts);
    expect(fromTable.featureNames).toEqual(['tenureDays', 'tickets']);
    expect(fromTable.sensitive).toEqual(['gender']);
    expect(fromTable.warnings.filter((w) => w.code === 'proxy_feature').map((w) => w.message)).toEqual([
      'tenureDays is associated with gender (correlation ratio η 1.00): it can act as a proxy',
    ]);
    const rowsBig = rowsOf(big, big.churned as boolean[]);
    expect(fromTable.toJSON()).toStrictEqual(trainChurnModel(rowsBig, opts).toJSON());
    expect(() => trainChurnModel(big, { sensitive: ['gendr'] })).toThrow(/did you mean "gender"/);
  });
});

describe('trainChurnModel(table): strict at the door', () => {
  const y = Uint8Array.of(0, 1, 0, 1);
  const issuesOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return (e as ValidationError).issues.map((i) => ({ path: i.path, code: i.code, message: i.message }));
    }
    throw new Error('no error');
  };

  it('names an unknown top-level key with the closest one', () => {
    const issues = issuesOf(() =>
      trainChurnModel({ columns: { a: [1, 2, 3, 4] }, churned: y, categorial: {} } as never),
    );
    expect(issues).toEqual([
      {
        path: ['categorial'],
        code: 'unknown_key',
        message: 'unknown table key "categorial"; did you mean "categorical"?',
      },
    ]);
  });

  it('locates columns of the wrong type, length or cell', () => {
    const issues = issuesOf(() =>
      trainChurnModel({
        columns: { a: [1, 2, 'x', 4], b: Float64Array.of(1, 2, 3), c: new Int32Array(4) },
        categorical: { p: ['x', 1, null, 'y'] },
        churned: y,
      } as never),
    );
    expect(issues.map((i) => i.path)).toEqual([
      ['columns', 'a', 2],
      ['columns', 'b'],
      ['columns', 'c'],
      ['categorical', 'p', 1],
    ]);
    expect(issues[1]?.message).toBe('columns.b has 3 cells, the table has 4 rows');
  });

  it('takes typed arrays of another realm, and says how to convert other typed arrays', () => {
    const other = runInNewContext('({ a: new Float64Array([1, 5, 2, 6]), y: new Uint8Array([0, 1, 0, 1]) })');
    const here = trainChurnModel({ columns: { a: Float64Array.of(1, 5, 2, 6) }, churned: y });
    expect(trainChurnModel({ columns: { a: other.a }, churned: other.y }).toJSON()).toStrictEqual(
      here.toJSON(),
    );
    expect(
      issuesOf(() => trainChurnModel({ columns: { a: new Float32Array(4) }, churned: y } as never)),
    ).toEqual([
      {
        path: ['columns', 'a'],
        code: 'invalid_type',
        message:
          'columns.a must be a Float64Array or an array of numbers and nulls (convert other typed arrays with Float64Array.from)',
      },
    ]);
  });

  it('refuses a name in both columns and categorical, a mask of no column or with other values than 0/1', () => {
    const issues = issuesOf(() =>
      trainChurnModel({
        columns: { seats: [1, 2, 3, 4] },
        categorical: { seats: ['a', 'b', 'c', 'd'] },
        missing: { seat: new Uint8Array(4), seats: Uint8Array.of(0, 2, 0, 0) },
        churned: y,
      }),
    );
    expect(issues.map((i) => i.path)).toEqual([
      ['categorical', 'seats'],
      ['missing', 'seat'],
      ['missing', 'seats', 1],
    ]);
    expect(issues[1]?.message).toBe('missing.seat masks no numeric column; did you mean "seats"?');
  });

  it('locates bad labels and a missing label column', () => {
    expect(
      issuesOf(() => trainChurnModel({ columns: { a: [1, 2, 3] }, churned: [true, 'no', false] } as never)),
    ).toEqual([{ path: ['churned', 1], code: 'invalid_type', message: 'churned[1] must be a boolean' }]);
    expect(
      issuesOf(() => trainChurnModel({ columns: { a: [1, 2] }, churned: Uint8Array.of(1, 3) })).map(
        (i) => i.path,
      ),
    ).toEqual([['churned', 1]]);
    expect(issuesOf(() => trainChurnModel({ columns: { a: [1, 2] } } as never)).map((i) => i.code)).toEqual([
      'required',
    ]); // A DataView is not a label column (and gives the table no length).
    expect(
      issuesOf(() =>
        trainChurnModel({ columns: { a: [1, 2] }, churned: new DataView(new ArrayBuffer(2)) } as never),
      ),
    ).toEqual([
      {
        path: ['churned'],
        code: 'invalid_type',
        message: 'churned must be a Uint8Array of 0/1 or an array of booleans',
      },
    ]);
  });

  it('checks names, customerIds and asOf, and puts option issues first', () => {
    const issues = issuesOf(() =>
      trainChurnModel(
        { columns: { a: [1, 2, 3, 4] }, names: ['b'], customerIds: ['x'], asOf: Number.NaN, churned: y },
        { model: 'forest' as never },
      ),
    );
    expect(issues.map((i) => i.path)).toEqual([['model'], ['customerIds'], ['names'], ['asOf']]);
  });

  it('says an empty table or one class is not enough (InsufficientDataError), as for rows', () => {
    expect(() => trainChurnModel({ columns: {}, churned: [] })).toThrow(InsufficientDataError);
    expect(() => trainChurnModel({ columns: { a: [1, 2] }, churned: [true, true] })).toThrow(
      /one class only \(2 churned of 2\)/,
    );
  });

  it('checks, when scoring, the cells of the columns the model reads (the others: type and length)', () => {
    const model = trainChurnModel({ columns: { a: [1, 2, 3, 4] }, churned: y });
    const other = { columns: { a: [1, 2], b: [3, 'x'] }, missing: { b: Uint8Array.of(0, 7) } };
    expect(model.predictProbabilities(other as never)).toStrictEqual(
      model.predictProbabilities({ columns: { a: [1, 2] } }),
    );
    expect(() => model.predictProbabilities({ columns: { a: [1, 'x'] } } as never)).toThrow(
      /columns.a\[1\] must be a number or null/,
    );
    expect(() => model.predict({ columns: { a: [1, 2] }, missing: { a: Uint8Array.of(0, 7) } })).toThrow(
      /missing.a\[1\] must be 0 or 1/,
    );
    expect(() => model.predict({ columns: { a: [1, 2], b: [1] } })).toThrow(
      /columns.b has 1 cells, the table has 2 rows/,
    );
  });

  it('rejects what is neither rows nor a table, and a malformed table when scoring', () => {
    expect(() => trainChurnModel(new Map() as never)).toThrow(
      /rows must be an array of \{ features, churned \} or a table/,
    );
    expect(() => trainChurnModel({} as never)).toThrow(/columns must be an object/);
    const model = trainChurnModel({ columns: { a: [1, 2, 3, 4] }, churned: y });
    expect(() => model.predictProbabilities({ columns: { a: [1, 2] }, customerIds: ['x'] })).toThrow(
      /columns.a has 2 cells, the table has 1 rows/,
    );
    expect(() => model.predict({ columns: { a: 'x' } } as never)).toThrow(ValidationError);
    expect(() =>
      FeatureEncoder.fit([{ a: 1 }]).encodeTable({ columns: { a: [1] }, missing: [] } as never),
    ).toThrow(ValidationError);
  });
});

// ---------- property: a random table trains and scores as its rows ----------
const numberCell = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 3, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e200),
  },
);
const textCell = fc.constantFrom('pro', 'free', 'team', '', ' ', '7', '1e3', 'x', null);
/** A column's content: varied, constant, or all missing. */
const numericColumn = (n: number) =>
  fc.record({
    cells: fc.oneof(
      { weight: 5, arbitrary: fc.array(fc.option(numberCell, { freq: 6 }), { minLength: n, maxLength: n }) },
      { weight: 1, arbitrary: numberCell.map((v) => Array.from({ length: n }, () => v)) },
      { weight: 1, arbitrary: fc.constant(Array.from({ length: n }, () => null)) },
    ),
    typed: fc.boolean(),
    mask: fc.option(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }), { freq: 2 }),
  });
const textColumn = (n: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(textCell, { minLength: n, maxLength: n }) },
    { weight: 1, arbitrary: textCell.map((v) => Array.from({ length: n }, () => v)) },
  );
const NUMERIC = ['tickets', 'constructor', 'mrr', 'z0'];
const TEXT = ['plan', 'region', 'toString'];

const tableArb = fc.integer({ min: 2, max: 40 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    numeric: fc
      .subarray(NUMERIC)
      .chain((names) => fc.tuple(...names.map(() => numericColumn(n))).map((cols) => ({ names, cols }))),
    text: fc
      .subarray(TEXT)
      .chain((names) => fc.tuple(...names.map(() => textColumn(n))).map((cols) => ({ names, cols }))),
    labels: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    kind: fc.constantFrom('logistic', 'trees'),
    calibration: fc.constantFrom('platt', 'isotonic', 'none'),
    maxCategories: fc.integer({ min: 1, max: 4 }),
    sensitive: fc.boolean(),
  }),
);

/** The model, or the error's class and message. */
function outcome(f: () => ChurnModel): ChurnModel | { error: string; message: string } {
  try {
    return f();
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message };
  }
}

describe('trainChurnModel(table) property', () => {
  it('equals the model of the equivalent rows (toJSON deep-equal) and scores as they do', () => {
    fc.assert(
      fc.property(tableArb, (g) => {
        const labels = [...g.labels];
        labels[0] = true;
        labels[1] = false;
        const columns: Record<string, Float64Array | (number | null)[]> = {};
        const missing: Record<string, Uint8Array> = {};
        g.numeric.names.forEach((name, k) => {
          const c = g.numeric.cols[k] as { cells: (number | null)[]; typed: boolean; mask: number[] | null };
          columns[name] = c.typed
            ? Float64Array.from(c.cells, (v) => (v === null ? Number.NaN : v))
            : c.cells;
          if (c.mask !== null) missing[name] = Uint8Array.from(c.mask);
        });
        const categorical: Record<string, (string | null)[]> = {};
        g.text.names.forEach((name, k) => {
          categorical[name] = g.text.cols[k] as (string | null)[];
        });
        const table = { columns, missing, categorical, churned: labels };
        const rows = rowsOf(table, labels);
        const all = [...g.numeric.names, ...g.text.names];
        const options: TrainChurnModelOptions = {
          model: g.kind as 'logistic' | 'trees',
          l2: 1,
          trees: { trees: 3 },
          calibration: g.calibration as 'platt',
          maxCategories: g.maxCategories,
          sensitive: g.sensitive && all.length > 0 ? [all[0] as string] : [],
        };
        const fromRows = outcome(() => trainChurnModel(rows, options));
        const fromTable = outcome(() => trainChurnModel(table, options));
        // Data the rows cannot fit (e.g. a constant 1e200 column) fails the same way from the table.
        if (!(fromRows instanceof ChurnModel)) {
          expect(fromTable).toStrictEqual(fromRows);
          return;
        }
        if (!(fromTable instanceof ChurnModel)) throw fromTable;
        expect(fromTable.toJSON()).toStrictEqual(fromRows.toJSON());
        const scoring: ScoringRow[] = rows.map((r) => ({ features: r.features }));
        expect(fromTable.predictProbabilities(table)).toStrictEqual(fromRows.predictProbabilities(scoring));
        expect(fromTable.predict(table)).toStrictEqual(fromRows.predict(scoring));
      }),
      { numRuns: 150, seed: 20261130 },
    );
  });
});
