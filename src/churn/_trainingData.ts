/**
 * The input side of `trainChurnModel`: rows or a table checked (options, labels, `sensitive`), then
 * read and encoded. Private to the churn module.
 * @module
 */
import { didYouMean } from '../_lib/closest';
import { InsufficientDataError, ValidationError, type ValidationIssue } from '../_lib/errors';
import { isPlainObject, nullProtoObject } from '../_lib/safe';
import type { ProxyRow } from '../fairness/findProxyFeatures';
import type { MatrixAlloc } from './_fitEncoder';
import { readTable, type TableView } from './_tableCheck';
import { tableRows } from './_tableInput';
import { fitTableInto, fitTransformInto } from './FeatureEncoder';
import { primeLogistic } from './fitLogisticRegression';
import type { TrainChurnModelOptions } from './trainChurnModel';
import type { ChurnRow, FeatureRecord, RiskBands } from './types';

const FN = 'trainChurnModel';

/** The checked training data, read and encoded, from rows or from a table. */
export interface TrainingData {
  n: number;
  y: Uint8Array;
  pos: number;
  sensitive: string[];
  fit: ReturnType<typeof fitTransformInto>;
  /** The rows `findProxyFeatures` reads (built only with `sensitive`). */
  proxyRows: () => readonly ProxyRow[];
}

export type Encoding = { maxCategories: number; mode: 'linear' | 'tree' };

export function fromRows(
  rows: readonly ChurnRow[],
  kind: string,
  bands: RiskBands,
  options: TrainChurnModelOptions,
  encoding: Encoding,
  alloc: MatrixAlloc | undefined,
): TrainingData {
  // Cold start: the logistic kernels compile while the rows are read (see primeLogistic).
  if (kind === 'logistic' && Array.isArray(rows)) primeLogistic(rows.length, looksSparse(rows));
  const { y, pos } = readRows(rows, kind, bands, options);
  const sensitive = readSensitive(options, () => {
    const seen = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r.features)) seen.add(k);
    return seen;
  });
  const records: FeatureRecord[] =
    sensitive.length === 0 ? rows.map((r) => r.features) : rows.map((r) => without(r.features, sensitive));
  const fit = fitTransformInto(records, encoding, alloc);
  // Churn rows are records (checked by readRows); findProxyFeatures reads their `features`.
  return { n: rows.length, y, pos, sensitive, fit, proxyRows: () => rows as unknown as readonly ProxyRow[] };
}

/** A {@link ChurnTrainingTable}: checked, then read column by column into the encoder's cell cache. */
export function fromTable(
  table: unknown,
  kind: string,
  bands: RiskBands,
  options: TrainChurnModelOptions,
  encoding: Encoding,
  alloc: MatrixAlloc | undefined,
): TrainingData {
  const issues = optionIssues(kind, bands, options);
  let view: TableView;
  try {
    view = readTable(FN, table, true);
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(FN, [...issues, ...e.issues]);
    throw e;
  }
  if (issues.length > 0) throw new ValidationError(FN, issues);
  const y = view.y as Uint8Array;
  checkClasses(view.n, view.pos);
  const sensitive = readSensitive(options, () => new Set([...view.numNames, ...view.catNames]));
  if (kind === 'logistic') primeLogistic(view.n, tableLooksSparse(view));
  const names = [...view.numNames, ...view.catNames].filter((name) => !sensitive.includes(name)).sort();
  const fit = fitTableInto(view, names, encoding, alloc);
  return {
    n: view.n,
    y,
    pos: view.pos,
    sensitive,
    fit,
    proxyRows: () => tableRows(view) as unknown as readonly ProxyRow[],
  };
}

/** Records {@link looksSparse} looks at, and the share of their values that makes them look sparse. */
const PROBE_ROWS = 32;
const PROBE_ZERO_SHARE = 0.5;

/**
 * Whether the first records' feature values are mostly zero, `false`, null, absent or `''` (at least
 * {@link PROBE_ZERO_SHARE} of them): a guess, before reading, that the logistic fit will take the
 * sparse design, so `primeLogistic` need not prime the dense kernels. Speed only: no result depends
 * on it. The CLI's churn rows (activity counts, often 0 or null: 77 % of the first 32 rows' values)
 * look sparse (its design has ~0.35 non-zero cells); Telco-like tables (measures, categories, a few
 * flags) do not.
 */
function looksSparse(rows: readonly ChurnRow[]): boolean {
  let zeros = 0;
  let cells = 0;
  try {
    for (let i = 0; i < rows.length && i < PROBE_ROWS; i++) {
      const f = (rows[i] as ChurnRow | undefined)?.features;
      if (f === null || typeof f !== 'object') continue;
      const keys = Object.keys(f);
      for (let k = 0; k < keys.length; k++) {
        const v = f[keys[k] as string];
        if (v === 0 || v === false || v === null || v === undefined || v === '') zeros++;
      }
      cells += keys.length;
    }
  } catch {
    // Hostile rows (a throwing getter or proxy): no guess; the checks that follow report them.
    return false;
  }
  return cells > 0 && zeros >= PROBE_ZERO_SHARE * cells;
}

/** Validates the rows and options; returns the labels. */
function readRows(
  rows: readonly ChurnRow[],
  kind: string,
  bands: RiskBands,
  options: TrainChurnModelOptions,
): { y: Uint8Array; pos: number } {
  if (!Array.isArray(rows))
    throw new ValidationError(FN, [
      {
        path: [],
        code: 'invalid_type',
        message: 'rows must be an array of { features, churned } or a table { columns, churned }',
      },
    ]);
  const issues = optionIssues(kind, bands, options);
  const y = new Uint8Array(rows.length);
  const pos = readLabels(rows, y, issues);
  if (issues.length > 0) throw new ValidationError(FN, issues);
  checkClasses(rows.length, pos);
  return { y, pos };
}

/** Issues of `model`, `bands` and `maxCategories`. */
function optionIssues(kind: string, bands: RiskBands, options: TrainChurnModelOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (kind !== 'logistic' && kind !== 'trees')
    issues.push({
      path: ['model'],
      code: 'invalid_value',
      message: 'option "model" must be "logistic" or "trees"',
    });
  if (!(bands.medium >= 0 && bands.medium <= bands.high && bands.high <= 1))
    issues.push({
      path: ['bands'],
      code: 'invalid_value',
      message: 'option "bands" needs 0 <= medium <= high <= 1',
    });
  const mc = options.maxCategories;
  if (mc !== undefined && !(Number.isInteger(mc) && mc >= 1 && mc <= 1000))
    issues.push({
      path: ['maxCategories'],
      code: 'invalid_value',
      message: 'option "maxCategories" must be an integer from 1 to 1000',
    });
  return issues;
}

/** @throws InsufficientDataError when there are no rows or one class only. */
function checkClasses(n: number, pos: number): void {
  if (n === 0)
    throw new InsufficientDataError(
      FN,
      'no training rows (no customer was labelled: with rows from buildChurnDataset or churnTrainingRows, the data must cover the features window and the horizon after it)',
      { available: 0, required: 2 },
    );
  if (pos === 0 || pos === n)
    throw new InsufficientDataError(FN, `training rows hold one class only (${pos} churned of ${n})`, {
      available: Math.min(pos, n - pos),
      required: 1,
    });
}

/**
 * Checks each row's shape and reads its label into `y` (at most 50 issues); returns the number of
 * churners. A loop of its own: in a fresh process V8 compiles it on the fly (on-stack replacement),
 * and code after such a loop, never run before, would make it deoptimise on the way out.
 */
function readLabels(rows: readonly ChurnRow[], y: Uint8Array, issues: ValidationIssue[]): number {
  let pos = 0;
  for (let i = 0; i < rows.length && issues.length < 50; i++) {
    const r = rows[i] as ChurnRow | undefined;
    if (r === null || typeof r !== 'object') {
      issues.push({ index: i, path: [], code: 'invalid_type', message: 'row must be an object' });
      continue;
    }
    if (!isPlainObject(r.features))
      issues.push({
        index: i,
        path: ['features'],
        code: 'invalid_type',
        message: 'features must be a plain object',
      });
    if (typeof r.churned !== 'boolean')
      issues.push({
        index: i,
        path: ['churned'],
        code: 'invalid_type',
        message: 'churned must be a boolean',
      });
    y[i] = r.churned === true ? 1 : 0;
    pos += y[i] as number;
  }
  return pos;
}

/**
 * Validates `sensitive` and `proxyThreshold` (the data already checked; `featureNames` lists every
 * feature of it); returns the distinct names.
 */
function readSensitive(options: TrainChurnModelOptions, featureNames: () => ReadonlySet<string>): string[] {
  const issues: ValidationIssue[] = [];
  const t = options.proxyThreshold;
  if (t !== undefined && !(typeof t === 'number' && t >= 0 && t <= 1))
    issues.push({
      path: ['proxyThreshold'],
      code: 'out_of_range',
      message: 'option "proxyThreshold" must be a number in [0, 1]',
    });
  const names = options.sensitive ?? [];
  if (!Array.isArray(names)) {
    issues.push({
      path: ['sensitive'],
      code: 'not_an_array',
      message: 'option "sensitive" must be an array of feature names',
    });
    throw new ValidationError(FN, issues);
  }
  const out: string[] = [];
  names.forEach((name: unknown, k) => {
    if (typeof name !== 'string' || name.length === 0 || name.length > 1000)
      issues.push({
        path: ['sensitive', k],
        code: 'invalid_type',
        message: 'a sensitive attribute must be a feature name (a non-empty string)',
      });
    else if (!out.includes(name)) out.push(name);
  });
  if (out.length > 0 && issues.length === 0) {
    const seen = featureNames();
    out.forEach((name) => {
      if (!seen.has(name))
        issues.push({
          path: ['sensitive', names.indexOf(name)],
          code: 'unknown_column',
          message: `sensitive attribute "${name}" is not a feature of any row${didYouMean(name, seen)}`,
        });
    });
  }
  if (issues.length > 0) throw new ValidationError(FN, issues);
  return out;
}

/** A copy of a feature record without the sensitive attributes. */
function without(features: FeatureRecord, drop: readonly string[]): FeatureRecord {
  const out = nullProtoObject<FeatureRecord[string]>();
  for (const k of Object.keys(features)) if (!drop.includes(k)) out[k] = features[k];
  return out;
}

/**
 * {@link looksSparse} for a table: its first rows' cells, counted the same way (a NaN number is
 * missing like a null one: a table may hold its missing cells either way). Speed only.
 */
function tableLooksSparse(view: TableView): boolean {
  const rows = Math.min(view.n, PROBE_ROWS);
  let zeros = 0;
  view.num.forEach((col, k) => {
    const mask = view.mask[k];
    for (let i = 0; i < rows; i++) {
      const v = col[i];
      if (v === 0 || v === null || Number.isNaN(v) || mask?.[i] === 1) zeros++;
    }
  });
  for (const col of view.cat) for (let i = 0; i < rows; i++) if (col[i] === null || col[i] === '') zeros++;
  const cells = rows * (view.num.length + view.cat.length);
  return cells > 0 && zeros >= PROBE_ZERO_SHARE * cells;
}
