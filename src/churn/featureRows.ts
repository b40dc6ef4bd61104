import { ValidationError } from '../_lib/errors';
import { nullProtoObject } from '../_lib/safe';
import type { ChurnFeatureTable } from './churnFeatures';
import type { FeatureValue, ScoringRow } from './types';

/**
 * Turns a columnar {@link ChurnFeatureTable} into rows for `trainChurnModel` / `model.predict`:
 * one `{ customerId, features }` per customer, `features` a null-prototype object; missing cells
 * become `null` (the models impute them and add missing indicators).
 *
 * @param table output of `churnFeatures`.
 * @returns rows in the table's customer order.
 * @example
 * ```ts
 * const rows = featureRows(churnFeatures(events, { asOf }));
 * rows[0]; // => { customerId: 'acme', features: { daysSinceLastEvent: 2.5, npsLatest: null, plan: 'pro', ... } }
 * ```
 */
export function featureRows(table: ChurnFeatureTable): ScoringRow[] {
  const t = table as Partial<ChurnFeatureTable> | null;
  if (
    t === null ||
    typeof t !== 'object' ||
    !Array.isArray(t.customerIds) ||
    !Array.isArray(t.names) ||
    t.columns === null ||
    typeof t.columns !== 'object' ||
    t.missing === null ||
    typeof t.missing !== 'object' ||
    t.categorical === null ||
    typeof t.categorical !== 'object'
  )
    throw new ValidationError('featureRows', [
      {
        path: [],
        code: 'invalid_type',
        message: 'table must be a churnFeatures table { customerIds, names, columns, missing, categorical }',
      },
    ]);
  const out: ScoringRow[] = [];
  const catNames = Object.keys(table.categorical).sort();
  for (let i = 0; i < table.customerIds.length; i++) {
    const features = nullProtoObject<FeatureValue>();
    for (const name of table.names) {
      const m = table.missing[name];
      features[name] =
        m !== undefined && m[i] === 1 ? null : ((table.columns[name] as Float64Array)[i] as number);
    }
    for (const name of catNames) features[name] = (table.categorical[name] as (string | null)[])[i] ?? null;
    out.push({ customerId: table.customerIds[i] as string, features });
  }
  return out;
}
