import { checkOptions, optionError, ValidationError } from '../_lib/errors';
import { hmacHex, readHmacKey } from '../_lib/hmac';
import { isPlainObject } from '../_lib/safe';

const FN = 'pseudonymise';

/** Options of {@link pseudonymise}. */
export interface PseudonymiseEventsOptions {
  /** Secret key of the HMAC (text or bytes). Same key, same pseudonyms; keep it secret and separate from the data. Required. */
  key: string | Uint8Array;
  /** Hex characters per pseudonym (lengthened automatically on a collision). @default 12 */
  length?: number;
  /** `properties` keys holding person or account ids to pseudonymise too. @default ['userId'] */
  idProperties?: readonly string[];
}

/** Result of {@link pseudonymise}. */
export interface PseudonymiseResult<E> {
  /** Copies of the events with `customerId` (→ `c_…`) and the id properties (→ `u_…`) replaced. */
  events: E[];
  /** Hex characters used (more than asked when a shorter prefix collided). */
  length: number;
  /** Distinct customer ids and other ids pseudonymised. */
  customers: number;
  ids: number;
}

/**
 * Pseudonymises events: every `customerId` becomes `c_` + the first hex digits of
 * HMAC-SHA-256(key, id) — the same pseudonym `pseudonymiseReport` gives with the same key and
 * length — and every id property (default `properties.userId`) `u_` + the same of
 * HMAC(key, "user:" + id), computed with Web Crypto (`crypto.subtle`: Node ≥ 20, browsers, Deno,
 * Bun, edge). Stable for a key — the same id gets the same pseudonym in every export — so data
 * sets can be joined and analysed without the real ids; without the key an id cannot be recovered
 * or confirmed by hashing guesses (unlike a plain hash). Pseudonymised data is still personal data
 * under the GDPR (recital 26): combine with {@link minimise} to drop what the analysis does not read.
 *
 * Missing-data policy: events without a string `customerId` are rejected with their index; an id
 * property that is absent or not a string/number is left as it is.
 *
 * @param events raw or parsed events (not modified).
 * @param options the key (required), pseudonym length and id properties.
 * @returns pseudonymised copies, the length used and counts.
 * @throws ValidationError for a missing/empty key or bad rows; VitalsError when Web Crypto is unavailable.
 * @example
 * ```ts
 * const r = await pseudonymise([{ customerId: 'acme', type: 'login', timestamp: 1, properties: { userId: 'ann@acme.com' } }], { key: 'secret' });
 * r.events[0].customerId; // => 'c_' + 12 hex digits, the same for 'acme' on every run with this key
 * ```
 */
export function pseudonymise<
  E extends { customerId: string; properties?: Readonly<Record<string, unknown>> },
>(events: readonly E[], options: PseudonymiseEventsOptions): Promise<PseudonymiseResult<E>> {
  checkOptions(FN, options, ['key', 'length', 'idProperties']);
  const keyBytes = readHmacKey(FN, options?.key);
  const length = options.length ?? 12;
  if (!Number.isInteger(length) || length < 8 || length > 64)
    throw optionError(FN, 'length', 'must be an integer 8..64', 'out_of_range');
  const idProps = options.idProperties ?? ['userId'];
  if (!Array.isArray(idProps) || idProps.some((p) => typeof p !== 'string'))
    throw optionError(FN, 'idProperties', 'must be an array of property names', 'invalid_type');
  if (!Array.isArray(events))
    throw new ValidationError(FN, [{ path: [], code: 'not_an_array', message: 'events must be an array' }]);
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as unknown;
    if (!isPlainObject(e) || typeof e.customerId !== 'string' || e.customerId.length === 0)
      throw new ValidationError(
        FN,
        [
          {
            index: i,
            path: ['customerId'],
            code: 'required',
            message: 'customerId must be a non-empty string',
          },
        ],
        'events',
      );
  }
  return hashAll(events, keyBytes, length, idProps);
}

async function hashAll<E extends { customerId: string; properties?: Readonly<Record<string, unknown>> }>(
  events: readonly E[],
  keyBytes: Uint8Array,
  minLength: number,
  idProps: readonly string[],
): Promise<PseudonymiseResult<E>> {
  const hex = await hmacHex(FN, keyBytes);
  const cust = new Map<string, string>();
  const other = new Map<string, string>();
  for (const e of events) {
    if (!cust.has(e.customerId)) cust.set(e.customerId, await hex(e.customerId));
    const props = e.properties;
    if (props)
      for (const p of idProps) {
        const v = props[p];
        if ((typeof v === 'string' || typeof v === 'number') && !other.has(String(v)))
          other.set(String(v), await hex(`user:${String(v)}`));
      }
  }
  const unique = (m: Map<string, string>, len: number) =>
    new Set([...m.values()].map((h) => h.slice(0, len))).size === m.size;
  let length = minLength;
  while (length < 64 && !(unique(cust, length) && unique(other, length))) length = Math.min(64, length + 4);
  const out: E[] = events.map((e) => {
    const copy = { ...e, customerId: `c_${(cust.get(e.customerId) as string).slice(0, length)}` };
    if (e.properties) {
      const props: Record<string, unknown> = { ...e.properties };
      for (const p of idProps) {
        const v = props[p];
        if (typeof v === 'string' || typeof v === 'number')
          props[p] = `u_${(other.get(String(v)) as string).slice(0, length)}`;
      }
      copy.properties = props;
    }
    return copy;
  });
  return { events: out, length, customers: cust.size, ids: other.size };
}
