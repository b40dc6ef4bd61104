import { optionError } from '../_lib/errors';
import { hmacHex, readHmacKey } from '../_lib/hmac';
import { checkReportData } from './_checkReportData';
import type { ReportData } from './types';

/** Options of {@link pseudonymiseReport}. */
export interface PseudonymiseOptions {
  /** Secret key of the HMAC: text or bytes. Keep it to link pseudonyms across reports; with a new key every time, they cannot be linked. */
  key: string | Uint8Array;
  /** Hex characters of the pseudonym (more on a collision). @default 12 */
  length?: number;
}

/**
 * Replaces every customer id in a report by a keyed hash: `c_` + the first hex digits of
 * HMAC-SHA-256(key, id), computed with Web Crypto (browsers, Node ≥ 20, Deno, Bun, edge). Without
 * the key an id cannot be recovered or confirmed by hashing guesses; with the same key the same id
 * always gets the same pseudonym. On a collision within the report, every pseudonym is lengthened.
 *
 * Missing-data policy: ids in free-text sentences are not rewritten (sentences name measures, not
 * customers).
 *
 * @param data a report from `buildReportData` (not modified).
 * @param options the key and pseudonym length.
 * @returns a copy of the report with pseudonymous ids and `pseudonymised: true`.
 * @throws ValidationError for an empty key; VitalsError when Web Crypto is unavailable.
 * @example
 * ```ts
 * const safe = await pseudonymiseReport(data, { key: 'my secret' });
 * safe.customers.ids[0]; // => 'c_3f9a0b12c4de'
 * ```
 */
export async function pseudonymiseReport(
  data: ReportData,
  options: PseudonymiseOptions,
): Promise<ReportData> {
  const fn = 'pseudonymiseReport';
  checkReportData(data, fn);
  const keyBytes = readHmacKey(fn, options?.key);
  let length = options.length ?? 12;
  if (!Number.isInteger(length) || length < 8 || length > 64)
    throw optionError(fn, 'length', 'must be an integer 8..64');
  const hex = await hmacHex(fn, keyBytes);
  const ids = new Set<string>(data.customers.ids);
  if (data.risky.available) for (const c of data.risky.data.customers) ids.add(c.id);
  if (data.movers.available) for (const c of data.movers.data.customers) ids.add(c.id);
  if (data.churn.available) for (const c of data.churn.data.topRisks) ids.add(c.id);
  const full = new Map<string, string>();
  for (const id of ids) full.set(id, await hex(id));
  let map = new Map<string, string>();
  for (;;) {
    map = new Map([...full].map(([id, h]) => [id, `c_${h.slice(0, length)}`]));
    if (new Set(map.values()).size === map.size || length >= 64) break;
    length += 4;
  }
  const p = (id: string) => map.get(id) ?? id;
  const copy = structuredClone(data);
  copy.pseudonymised = true;
  copy.customers.ids = copy.customers.ids.map(p);
  if (copy.risky.available) for (const c of copy.risky.data.customers) c.id = p(c.id);
  if (copy.movers.available) for (const c of copy.movers.data.customers) c.id = p(c.id);
  if (copy.churn.available) for (const c of copy.churn.data.topRisks) c.id = p(c.id);
  return copy;
}
