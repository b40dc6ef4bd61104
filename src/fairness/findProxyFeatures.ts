import { checkOptions, optionError, ValidationError, type ValidationIssue } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import { attributeIssue, isAttributeValue } from './_attribute';
import type { ProxyFeature } from './types';

const FN = 'findProxyFeatures';
const KEYS = ['threshold', 'minRows'];

/** A feature row: flat (`{ plan: 'pro', logins30d: 12 }`) or a churn row (`{ features: {...}, churned }`). */
export type ProxyRow = Readonly<Record<string, unknown>>;

/** Options of {@link findProxyFeatures}. */
export interface FindProxyFeaturesOptions {
  /** Association at or above which a feature is reported as a proxy. @default 0.3 */
  threshold?: number;
  /** Features present in fewer rows than this are skipped. @default 10 */
  minRows?: number;
}

function featuresOf(row: ProxyRow): Readonly<Record<string, unknown>> {
  const f = row.features;
  return isPlainObject(f) ? f : row;
}

/** A value that names a group or a category: a string, a finite number, a boolean or a BigInt. */
function isCategory(v: unknown): v is string | number | boolean | bigint {
  const t = typeof v;
  return t === 'string' || t === 'boolean' || t === 'bigint' || (t === 'number' && Number.isFinite(v));
}

/** Each row's attribute label (null: missing); a label that is an object or a symbol is an issue. */
function sensitiveLabels(
  feats: readonly Readonly<Record<string, unknown>>[],
  sensitive: string | ArrayLike<unknown>,
  issues: ValidationIssue[],
): (string | null)[] {
  return feats.map((f, i) => {
    const v = typeof sensitive === 'string' ? f[sensitive] : sensitive[i];
    if (isCategory(v)) return String(v);
    if (!isAttributeValue(v) && issues.length < 100)
      issues.push(
        attributeIssue(i, typeof sensitive === 'string' ? ['features', sensitive] : ['sensitive', i], v),
      );
    return null;
  });
}

/**
 * Finds features that act as proxies for a sensitive attribute, so that dropping the attribute
 * from a churn model's features does not let it back in through the side door. For each feature,
 * the association with the attribute (categorical) is:
 * - numeric feature: the **correlation ratio** η = √(SS_between / SS_total) of the feature across
 *   the attribute's groups (Pearson 1905); 0 when the group means are equal, 1 when each group
 *   has a single value;
 * - string or boolean feature: **Cramér's V** = √(χ² / (n · (min(r, c) − 1))) of the feature ×
 *   attribute table (Cramér 1946).
 * Both are in [0, 1]; features at or above `threshold` are flagged `proxy: true`. The attribute
 * itself (when named) is skipped.
 *
 * To exclude a sensitive attribute from a churn model while still auditing by it,
 * `trainChurnModel(rows, { sensitive: ['region'] })` does it in one call (proxies become
 * `proxy_feature` warnings). By hand, for models trained elsewhere: take the labels out with {@link splitSensitive} (`const { rows, groups } = splitSensitive(dataset.rows, 'region')`),
 * check `findProxyFeatures(dataset.rows, 'region')`, train on `rows`, then audit the held-out
 * predictions with `auditFairness({ probabilities, outcomes, groups })`.
 *
 * Missing-data policy: a row whose feature or attribute is null/undefined/non-finite is left out
 * of that feature's association (`n` says how many rows were used), and so is a feature value that
 * is not a string, number, boolean or BigInt (an object, array, function or symbol: no category);
 * features with fewer than `minRows` usable rows or a single attribute group are skipped.
 *
 * @param rows flat feature records or churn rows `{ features, churned }`.
 * @param sensitive the attribute's feature name, or its value per row.
 * @param options threshold and minimum rows.
 * @returns every feature's association, strongest first.
 * @throws ValidationError when rows are not records, the label array has the wrong length, or an
 *   attribute value is an object or a symbol (located by row).
 * @example
 * ```ts
 * const rows = [
 *   { region: 'eu', currency: 'EUR', seats: 5 },
 *   { region: 'eu', currency: 'EUR', seats: 7 },
 *   { region: 'us', currency: 'USD', seats: 6 },
 *   { region: 'us', currency: 'USD', seats: 6 },
 * ];
 * findProxyFeatures(rows, 'region', { minRows: 2 });
 * // => [{ feature: 'currency', measure: 'cramers_v', association: 1, n: 4, proxy: true },
 * //     { feature: 'seats', measure: 'correlation_ratio', association: 0, n: 4, proxy: false }]
 * ```
 */
export function findProxyFeatures(
  rows: readonly ProxyRow[],
  sensitive: string | ArrayLike<string | null | undefined>,
  options: FindProxyFeaturesOptions = {},
): ProxyFeature[] {
  checkOptions(FN, options, KEYS);
  const threshold = options.threshold ?? 0.3;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1))
    throw optionError(FN, 'threshold', 'must be a number in [0, 1]', 'out_of_range');
  const minRows = options.minRows ?? 10;
  if (!Number.isInteger(minRows) || minRows < 2)
    throw optionError(FN, 'minRows', 'must be an integer >= 2', 'out_of_range');
  if (!Array.isArray(rows))
    throw new ValidationError(FN, [{ path: [], code: 'not_an_array', message: 'rows must be an array' }]);
  const issues: ValidationIssue[] = [];
  for (let i = 0; i < rows.length && issues.length < 100; i++)
    if (!isPlainObject(rows[i]))
      issues.push({ index: i, path: [], code: 'not_plain_object', message: 'a row must be a record' });
  if (typeof sensitive !== 'string') {
    if (sensitive === null || typeof sensitive !== 'object' || sensitive.length !== rows.length)
      issues.push({
        path: ['sensitive'],
        code: 'invalid_length',
        message: 'sensitive must be a feature name or one label per row',
      });
  } else if (sensitive.length === 0)
    issues.push({ path: ['sensitive'], code: 'required', message: 'sensitive must be a non-empty name' });
  if (issues.length > 0) throw new ValidationError(FN, issues, 'rows');

  const feats = rows.map(featuresOf);
  const labels = sensitiveLabels(feats, sensitive, issues);
  if (issues.length > 0) throw new ValidationError(FN, issues, 'rows');
  const names = new Set<string>();
  for (const f of feats) for (const k of Object.keys(f)) if (k !== sensitive) names.add(k);
  const out: ProxyFeature[] = [];
  for (const name of [...names].sort()) {
    let numeric = true;
    let any = false;
    for (let i = 0; i < feats.length; i++) {
      const v = (feats[i] as Record<string, unknown>)[name];
      if (labels[i] === null || !isCategory(v)) continue;
      any = true;
      if (typeof v !== 'number') numeric = false;
    }
    if (!any) continue;
    const r = numeric ? correlationRatio(feats, labels, name) : cramersV(feats, labels, name);
    if (r === null || r.n < minRows) continue;
    out.push({
      feature: name,
      measure: numeric ? 'correlation_ratio' : 'cramers_v',
      association: r.value,
      n: r.n,
      proxy: r.value >= threshold,
    });
  }
  out.sort((a, b) => b.association - a.association || (a.feature < b.feature ? -1 : 1));
  return out;
}

function correlationRatio(
  feats: readonly Readonly<Record<string, unknown>>[],
  labels: readonly (string | null)[],
  name: string,
): { value: number; n: number } | null {
  const sums = new Map<string, { n: number; s: number }>();
  let n = 0;
  let total = 0;
  for (let i = 0; i < feats.length; i++) {
    const v = (feats[i] as Record<string, unknown>)[name];
    const g = labels[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || g === null) continue;
    n++;
    total += v;
    const a = sums.get(g as string) ?? { n: 0, s: 0 };
    a.n++;
    a.s += v;
    sums.set(g as string, a);
  }
  if (n === 0 || sums.size < 2) return null;
  const mean = total / n;
  let ssT = 0;
  for (let i = 0; i < feats.length; i++) {
    const v = (feats[i] as Record<string, unknown>)[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || labels[i] === null) continue;
    ssT += (v - mean) ** 2;
  }
  let ssB = 0;
  for (const a of sums.values()) ssB += a.n * (a.s / a.n - mean) ** 2;
  return { value: ssT > 0 ? Math.min(1, Math.sqrt(ssB / ssT)) : 0, n };
}

function cramersV(
  feats: readonly Readonly<Record<string, unknown>>[],
  labels: readonly (string | null)[],
  name: string,
): { value: number; n: number } | null {
  const cells = new Map<string, number>();
  const rowT = new Map<string, number>();
  const colT = new Map<string, number>();
  let n = 0;
  for (let i = 0; i < feats.length; i++) {
    const v = (feats[i] as Record<string, unknown>)[name];
    const g = labels[i];
    if (g === null || !isCategory(v)) continue;
    const fv = `${typeof v}:${String(v)}`;
    n++;
    const key = `${fv}\u0000${g}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rowT.set(fv, (rowT.get(fv) ?? 0) + 1);
    colT.set(g as string, (colT.get(g as string) ?? 0) + 1);
  }
  if (n === 0 || colT.size < 2) return null;
  const k = Math.min(rowT.size, colT.size);
  if (k < 2) return { value: 0, n };
  let chi2 = 0;
  for (const [fv, rt] of rowT)
    for (const [g, ct] of colT) {
      const e = (rt * ct) / n;
      const o = cells.get(`${fv}\u0000${g}`) ?? 0;
      chi2 += (o - e) ** 2 / e;
    }
  return { value: Math.min(1, Math.sqrt(chi2 / (n * (k - 1)))), n };
}
