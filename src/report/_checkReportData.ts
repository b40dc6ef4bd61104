import { ValidationError } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import type { ReportData } from './types';

/**
 * Checks that a value is report data from `buildReportData` (schema version 1, a customer table
 * with parallel arrays), so `renderReport` and `pseudonymiseReport` fail with a located
 * `ValidationError` rather than a TypeError on anything else.
 * @param data the value to check.
 * @param fn the calling function, for the message.
 * @throws {ValidationError} when the value is not report data.
 * @example
 * ```ts
 * checkReportData(null, 'renderReport'); // throws: renderReport: data must be the result of buildReportData ...
 * ```
 */
export function checkReportData(data: unknown, fn: string): asserts data is ReportData {
  const fail = (path: string, what: string): never => {
    throw new ValidationError(fn, [
      {
        path: path ? path.split('.') : [],
        code: 'invalid_value',
        message: `${fn}: data${path ? `.${path}` : ''} ${what} (pass the result of buildReportData)`,
      },
    ]);
  };
  if (!isPlainObject(data)) fail('', 'must be the result of buildReportData');
  const d = data as Record<string, unknown>;
  if (d.schemaVersion !== 1) fail('schemaVersion', 'must be 1');
  const t = d.customers;
  if (!isPlainObject(t)) fail('customers', 'must be the customer table');
  const table = t as Record<string, unknown>;
  if (!Array.isArray(table.ids)) fail('customers.ids', 'must be an array');
  const n = (table.ids as unknown[]).length;
  for (const k of ['score', 'band', 'segment', 'plan', 'churn', 'clv']) {
    if (!Array.isArray(table[k]) || (table[k] as unknown[]).length !== n)
      fail(`customers.${k}`, `must be an array of ${n}`);
  }
  for (const k of [
    'overview',
    'revenue',
    'health',
    'risky',
    'movers',
    'churn',
    'survival',
    'clv',
    'rfm',
    'clusters',
    'cohorts',
  ]) {
    const s = d[k];
    if (!isPlainObject(s) || typeof s.available !== 'boolean')
      fail(k, 'must be a section ({ available, data | reason })');
  }
  if (!Array.isArray(d.warnings)) fail('warnings', 'must be an array');
}
