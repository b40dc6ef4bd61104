import { checkOptions, ValidationError, zodIssues } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import { isPlainObject, nullProtoObject } from '../_lib/safe';
import { absentToUndefined, type FieldMapping, notAnArray, notAnObject, throwIfStrict } from './_mapping';
import { missingColumnIssues } from './_readMapping';
import { type CompiledMapping, compileMapping, FAILED } from './compileMapping';
import { profileSchema } from './schemas';
import type { CustomerProfile, RejectedRow } from './types';

/** Canonical profile fields that a mapping can rename. */
export type ProfileField =
  | 'customerId'
  | 'signupDate'
  | 'plan'
  | 'mrr'
  | 'seats'
  | 'renewalDate'
  | 'parentId'
  | 'attributes';
const NUMERIC: ReadonlySet<ProfileField> = new Set(['mrr', 'seats']);
const DATES: ReadonlySet<ProfileField> = new Set(['signupDate', 'renewalDate']);

/** Every column the mapping names must exist in some row (checked before the rows are read). */
function checkProfileColumns(mapping: CompiledMapping, rows: readonly unknown[]): void {
  if (mapping.references.length === 0) return;
  const columns = new Set<string>();
  for (const r of rows) if (isPlainObject(r)) for (const k of Object.keys(r)) columns.add(k);
  if (columns.size === 0) return;
  const issues = missingColumnIssues(mapping.references, columns);
  if (issues.length > 0) throw new ValidationError('parseProfiles', issues, 'mapping');
}

/** Options of {@link parseProfiles}. */
export interface ParseProfilesOptions {
  /**
   * The mapping language of `parseEvents` (`fields`, `derive`, `timestamp` for signupDate and
   * renewalDate, `placeholderIds`, `numberFormat`; no `types` or `aggregate`). @default undefined
   */
  mapping?: FieldMapping<ProfileField>;
  /** Throw a `ValidationError` when any row is invalid or conflicting. @default false */
  strict?: boolean;
}

/** Counts of one `parseProfiles` call. `accepted + rejected === received` always. */
export interface ParseProfilesStats {
  received: number;
  accepted: number;
  rejected: number;
  /** Rows identical to an earlier profile of the same customer (dropped, included in `rejected`). */
  duplicates: number;
  /** Rows of customers with two or more differing profiles (all of them rejected). */
  conflicts: number;
}

/** Result of {@link parseProfiles}. */
export interface ParseProfilesResult {
  profiles: CustomerProfile[];
  rejected: RejectedRow[];
  stats: ParseProfilesStats;
}

/**
 * Validates and normalises customer profiles: `{ customerId, signupDate?, plan?, mrr?, seats?,
 * renewalDate?, parentId?, attributes? }`. Dates become epoch ms (ISO strings without an offset are
 * UTC); `mrr` and `seats` accept numeric strings; `null`/`''` means absent; `attributes` are copied
 * into a null-prototype object.
 *
 * One profile per customer: a row identical to an earlier one is a duplicate (dropped and reported);
 * when rows of the same customer differ, the data is ambiguous and every row of that customer is
 * rejected with code `conflicting_profile` (so the result never depends on input order).
 *
 * @param rows raw rows (a non-array counts as one invalid row).
 * @param options mapping and strictness.
 * @returns accepted profiles sorted by customerId, rejected rows in input order, and counts.
 * @throws {ValidationError} only with `strict: true`, when a row is invalid or conflicting.
 * @example
 * ```ts
 * parseProfiles([{ customerId: 'acme', plan: 'pro', mrr: '99', signupDate: '2024-01-15' }]).profiles;
 * // => [{ customerId: 'acme', plan: 'pro', mrr: 99, signupDate: 1705276800000 }]
 * ```
 */
export function parseProfiles(rows: unknown, options: ParseProfilesOptions = {}): ParseProfilesResult {
  checkOptions('parseProfiles', options, ['mapping', 'strict']);
  const mapping = compileMapping(options.mapping, { fn: 'parseProfiles', target: 'profiles' });
  if (Array.isArray(rows)) checkProfileColumns(mapping, rows);
  const rejected: RejectedRow[] = [];
  const byCustomer = new Map<string, ProfileEntry[]>();
  if (!Array.isArray(rows)) {
    rejected.push(notAnArray('parseProfiles', rows));
  } else {
    for (let index = 0; index < rows.length; index++) {
      const row: unknown = rows[index];
      if (!isPlainObject(row)) {
        rejected.push({ index, row, issues: notAnObject(row) });
        continue;
      }
      const { c, own } = readProfileRow(mapping, row);
      const parsed = profileSchema().safeParse(c);
      if (!parsed.success || own.length > 0) {
        const taken = new Set(own.map((i) => i.path.join('.')));
        const issues = [...own];
        if (!parsed.success)
          for (const i of zodIssues(parsed.error)) if (!taken.has(i.path.join('.'))) issues.push(i);
        rejected.push({ index, row, issues });
        continue;
      }
      const profile = build(parsed.data);
      const entry = { index, row, profile, key: canonicalKey(profile) };
      const list = byCustomer.get(profile.customerId);
      if (list === undefined) byCustomer.set(profile.customerId, [entry]);
      else list.push(entry);
    }
  }
  const { profiles, duplicates, conflicts } = resolveDuplicates(byCustomer, rejected);
  rejected.sort((a, b) => a.index - b.index);
  const received = Array.isArray(rows) ? rows.length : 1;
  if (options.strict) throwIfStrict('parseProfiles', rejected, received, 'duplicate_profile', 'profiles');
  return {
    profiles,
    rejected,
    stats: { received, accepted: profiles.length, rejected: rejected.length, duplicates, conflicts },
  };
}

/** An accepted row: its profile and the canonical key that tells duplicates from conflicts. */
interface ProfileEntry {
  index: number;
  row: unknown;
  profile: CustomerProfile;
  key: string;
}

/** The mapped fields of one row (numbers and dates read, placeholder ids refused) and its own issues. */
function readProfileRow(
  mapping: CompiledMapping,
  row: Record<string, unknown>,
): { c: Record<string, unknown>; own: RejectedRow['issues'] } {
  const own: RejectedRow['issues'] = [];
  const c: Record<string, unknown> = {};
  for (const [field, get] of mapping.getters) {
    let v = get(row);
    if (v === FAILED) {
      own.push({ path: [field], code: 'expression_failed', message: `${field}: ${mapping.lastError()}` });
      continue;
    }
    v = absentToUndefined(v);
    if (v === undefined) continue;
    if (NUMERIC.has(field as ProfileField) && typeof v === 'string') {
      const n = mapping.numbers.read(v);
      if (Number.isNaN(n)) {
        own.push({
          path: [field],
          code: 'invalid_number',
          message: `${field} ${mapping.numbers.problem}`,
        });
        continue;
      }
      v = n;
    } else if (DATES.has(field as ProfileField)) {
      const t = mapping.timestamp.read(v, field);
      if (Number.isNaN(t)) {
        own.push({
          path: [field],
          code: mapping.timestamp.issue.code,
          message: mapping.timestamp.issue.message,
        });
        continue;
      }
      v = t;
    } else if (
      field === 'customerId' &&
      typeof v === 'string' &&
      mapping.placeholderIds.has(v.trim().toLowerCase())
    ) {
      own.push({
        path: ['customerId'],
        code: 'placeholder_id',
        message: `customerId ${JSON.stringify(v)} is a placeholder (mapping.placeholderIds), not a customer`,
      });
      continue;
    }
    c[field] = v;
  }
  return { c, own };
}

/**
 * One profile per customer (ascending id): identical repeats keep the first and reject the others
 * as `duplicate_profile`; differing ones reject every row as `conflicting_profile`.
 */
function resolveDuplicates(
  byCustomer: Map<string, ProfileEntry[]>,
  rejected: RejectedRow[],
): { profiles: CustomerProfile[]; duplicates: number; conflicts: number } {
  const profiles: CustomerProfile[] = [];
  let duplicates = 0;
  let conflicts = 0;
  const ids = Array.from(byCustomer.keys()).sort(compareCodeUnits);
  for (const id of ids) {
    const list = byCustomer.get(id)!;
    const first = list[0]!;
    if (list.every((e) => e.key === first.key)) {
      profiles.push(first.profile);
      for (const dup of list.slice(1)) {
        duplicates++;
        rejected.push({
          index: dup.index,
          row: dup.row,
          issues: [
            {
              path: ['customerId'],
              code: 'duplicate_profile',
              message: `duplicate profile of customer "${id}" (same as row ${first.index})`,
            },
          ],
        });
      }
    } else {
      const at = list.map((e) => e.index).join(', ');
      for (const e of list) {
        conflicts++;
        rejected.push({
          index: e.index,
          row: e.row,
          issues: [
            {
              path: ['customerId'],
              code: 'conflicting_profile',
              message: `customer "${id}" has differing profiles in rows ${at}; none was used`,
            },
          ],
        });
      }
    }
  }
  return { profiles, duplicates, conflicts };
}

function build(d: {
  customerId: string;
  signupDate?: number | undefined;
  plan?: string | undefined;
  mrr?: number | undefined;
  seats?: number | undefined;
  renewalDate?: number | undefined;
  parentId?: string | undefined;
  attributes?: Record<string, string | number | boolean> | undefined;
}): CustomerProfile {
  const p: { -readonly [K in keyof CustomerProfile]: CustomerProfile[K] } = { customerId: d.customerId };
  if (d.signupDate !== undefined) p.signupDate = d.signupDate;
  if (d.plan !== undefined) p.plan = d.plan;
  if (d.mrr !== undefined) p.mrr = d.mrr;
  if (d.seats !== undefined) p.seats = d.seats;
  if (d.renewalDate !== undefined) p.renewalDate = d.renewalDate;
  if (d.parentId !== undefined) p.parentId = d.parentId;
  if (d.attributes !== undefined) {
    const a = nullProtoObject<string | number | boolean>();
    for (const k of Object.keys(d.attributes)) a[k] = d.attributes[k] as string | number | boolean;
    p.attributes = a;
  }
  return p;
}

function canonicalKey(p: CustomerProfile): string {
  const attrs = p.attributes
    ? Object.keys(p.attributes)
        .sort()
        .map((k) => [k, p.attributes![k]])
    : null;
  return JSON.stringify([p.signupDate, p.plan, p.mrr, p.seats, p.renewalDate, p.parentId, attrs]);
}
