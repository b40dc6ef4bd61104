import { checkOptions, ValidationError } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import { evaluateCondition as evaluate, lookupPath as lookup, MISSING } from '../_lib/rules';
import { fmtNum } from './_util';
import {
  type CompiledCondition,
  type CompiledSegmentRules,
  parseSegmentRules,
  type SegmentRules,
} from './parseSegmentRules';

/** Options of {@link segmentByRules}. */
export interface SegmentByRulesOptions {
  /** Field holding the customer id in each record. @default 'customerId' */
  idField?: string;
}

/** One customer's segments. */
export interface RuleAssignment {
  customerId: string;
  /** First matching segment (or the default), null when none. */
  segment: string | null;
  /** Every matching segment in `all` mode; the first match (or default) in `first` mode. */
  segments: string[];
  reason: string;
}

/** Result of {@link segmentByRules}. */
export interface SegmentByRulesResult {
  customers: RuleAssignment[];
  /** Customers per segment name (including the default), in rule order. */
  counts: Map<string, number>;
  /** Customers with no segment (no match and no default). */
  unassigned: number;
  rules: CompiledSegmentRules;
}

const FN = 'segmentByRules';

/**
 * Segments customers with a declarative JSON rule language (see {@link SegmentRules}):
 * `all` / `any` / `not` combinators and comparisons (`<`, `<=`, `>`, `>=`, `==`, `!=`, `in`, `not_in`,
 * `contains`, `exists`, `missing`) on any field of a customer record, addressed by dotted path
 * (`health.score`, `profile.attributes.region`), also as strings like `"health.score < 40"`.
 *
 * Rules are validated with zod (every problem located, e.g. `segments.1.when.all.0.op`) and compiled
 * to a tree evaluated without `eval` or `Function`. Paths are resolved through own properties only (and
 * `Map#get` for Map values), never the prototype chain; `__proto__`, `prototype` and `constructor`
 * segments are rejected. `<`-style comparisons need both sides numbers, or both strings (compared by
 * code units, e.g. ISO dates); `==` is strict equality.
 *
 * Missing data: a comparison on a missing field, or on a value of another type, is **false** (also
 * for `!=` and `not_in`, like SQL NULL); `not` inverts it, and `exists` / `missing` test presence
 * (null counts as missing). Customers matching nothing get `default` or no segment.
 *
 * @param customers records with an id field (default `customerId`), or a Map from id to record.
 * @param rules the rule set (see {@link SegmentRules}), validated on every call.
 * @param options id field.
 * @returns per-customer segment(s) with the reason, counts per segment, unassigned count.
 * @throws ValidationError for invalid rules (located) or a record without a string id.
 * @example
 * ```ts
 * segmentByRules(
 *   [{ customerId: 'a', health: { score: 32 }, plan: 'enterprise' }],
 *   { segments: [{ name: 'Rescue', when: { all: ['health.score < 40', { field: 'plan', op: '==', value: 'enterprise' }] } }] },
 * ).customers[0];
 * // => { customerId: 'a', segment: 'Rescue', segments: ['Rescue'], reason: 'Rescue: health.score 32 < 40 and plan "enterprise" == "enterprise"' }
 * ```
 */
export function segmentByRules(
  customers: readonly Readonly<Record<string, unknown>>[] | ReadonlyMap<string, unknown>,
  rules: SegmentRules | unknown,
  options: SegmentByRulesOptions = {},
): SegmentByRulesResult {
  checkOptions(FN, options, ['idField']);
  const compiled = parseSegmentRules(rules, FN);
  const idField = options.idField ?? 'customerId';
  const counts = new Map<string, number>();
  for (const s of compiled.segments) counts.set(s.name, 0);
  if (compiled.default !== null && !counts.has(compiled.default)) counts.set(compiled.default, 0);
  const out: RuleAssignment[] = [];
  let unassigned = 0;
  const each = (id: string, record: unknown): void => {
    const matched: string[] = [];
    const reasons: string[] = [];
    for (const seg of compiled.segments) {
      if (!evaluate(seg.when, record)) continue;
      if (!matched.includes(seg.name)) matched.push(seg.name);
      reasons.push(`${seg.name}: ${explain(seg.when, record, true)}`);
      if (compiled.mode === 'first') break;
    }
    let reason: string;
    if (matched.length === 0) {
      const firstRule = compiled.segments[0] as CompiledSegmentRules['segments'][number];
      const why = `no rule matched (${firstRule.name}: ${explain(firstRule.when, record, false)})`;
      if (compiled.default !== null) {
        matched.push(compiled.default);
        reason = `${compiled.default} (default): ${why}`;
      } else {
        unassigned++;
        reason = why;
      }
    } else reason = reasons.join('; ');
    for (const name of matched) counts.set(name, (counts.get(name) ?? 0) + 1);
    out.push({ customerId: id, segment: matched[0] ?? null, segments: matched, reason });
  };
  if (customers instanceof Map) {
    for (const [id, record] of customers) each(id, record);
  } else {
    const list = customers as readonly Readonly<Record<string, unknown>>[];
    for (let i = 0; i < list.length; i++) {
      const record = list[i];
      const id =
        record !== null && typeof record === 'object' && Object.hasOwn(record, idField)
          ? record[idField]
          : undefined;
      if (typeof id !== 'string' && typeof id !== 'number') {
        throw new ValidationError(
          FN,
          [
            {
              path: ['customers', i, idField],
              code: 'invalid_record',
              message: 'each record needs a string id',
            },
          ],
          'customers',
        );
      }
      each(String(id), record);
    }
  }
  // deterministic output whatever the input order: ascending customer id (UTF-16 code units)
  out.sort((a, b) => compareCodeUnits(a.customerId, b.customerId));
  return { customers: out, counts, unassigned, rules: compiled };
}

function show(v: unknown): string {
  if (v === MISSING) return 'missing';
  if (typeof v === 'number') return fmtNum(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (Array.isArray(v)) return `[${v.slice(0, 5).map(show).join(', ')}${v.length > 5 ? ', ...' : ''}]`;
  if (v === null || typeof v === 'boolean') return String(v);
  return typeof v;
}

const ORDER_OPS = new Set(['<', '<=', '>', '>=']);

const NEGATED: Readonly<Record<string, string>> = {
  '<': '≥',
  '<=': '>',
  '>': '≤',
  '>=': '<',
  '==': '!=',
  '!=': '==',
  in: 'not in',
  not_in: 'in',
  contains: 'does not contain',
  starts_with: 'does not start with',
  ends_with: 'does not end with',
  exists: 'missing',
  missing: 'exists',
};

/** Explains why `c` evaluated to `expected` for `record` (only the parts that decided it). */
function explain(c: CompiledCondition, record: unknown, expected: boolean): string {
  switch (c.kind) {
    case 'all':
    case 'any': {
      // all=true / any=false: every item matters; all=false / any=true: the first deciding item.
      const every = (c.kind === 'all') === expected;
      if (every) return c.items.map((i) => explain(i, record, expected)).join(' and ');
      const decisive = c.items.find((i) => evaluate(i, record) === expected) as CompiledCondition;
      return explain(decisive, record, expected);
    }
    case 'not':
      return `not (${explain(c.item, record, !expected)})`;
    case 'cmp': {
      const v = lookup(record, c.path);
      if (c.op === 'exists' || c.op === 'missing')
        return `${c.field} ${v === MISSING ? 'missing' : 'present'}`;
      if (v === MISSING) return `${c.field} missing`;
      if (!expected && ORDER_OPS.has(c.op) && typeof v !== typeof c.value) {
        return `${c.field} ${show(v)} is not comparable with ${show(c.value)}`;
      }
      const op = expected ? c.op.replace('_', ' ') : (NEGATED[c.op] ?? c.op);
      return `${c.field} ${show(v)} ${op} ${show(c.value)}`;
    }
  }
}
