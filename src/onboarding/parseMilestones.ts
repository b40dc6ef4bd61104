import * as z from 'zod';
import { unknownKeyIssues, ValidationError, type ValidationIssue, zodIssues } from '../_lib/errors';
import { lazy } from '../_lib/lazy';
import { type CompiledCondition, compileCondition, conditionFields } from '../_lib/rules';
import { isPlainObject, showValue } from '../_lib/safe';

/** A milestone as users write it. */
export interface MilestoneInput {
  /** Stable id (`first_login`). */
  id: string;
  /** Label for reports. @default the id */
  label?: string;
  /** Which events count, as a condition in the rule language over the event (`type == login`, `properties.feature == integrations`). */
  when: unknown;
  /** How many matching events (or distinct values) reach the milestone. @default 1 */
  count?: number;
  /** Count distinct values of this event field instead of events (`properties.userId` for "3 active users"). @default none */
  distinct?: string;
}

/** A compiled milestone. */
export interface Milestone {
  id: string;
  label: string;
  when: CompiledCondition;
  count: number;
  distinct: string[] | null;
  fields: string[];
}

const KEYS = ['id', 'label', 'when', 'count', 'distinct'];
const schema = lazy(() =>
  z.strictObject({
    id: z.string().min(1).max(200),
    label: z.string().min(1).max(200).optional(),
    when: z.unknown(),
    count: z.number().int().min(1).max(1_000_000).optional(),
    distinct: z.string().min(1).max(200).optional(),
  }),
);

/**
 * Validates and compiles onboarding milestones: `{ id, label?, when, count?, distinct? }`, where
 * `when` is a condition in the rule language over an event record (`type`, `value`,
 * `properties.*`). Examples: first login `{ id: 'first_login', when: 'type == login' }`; three
 * active users `{ id: 'users_3', when: 'type == login', distinct: 'properties.userId', count: 3 }`;
 * an integration connected `{ id: 'integration', when: { all: ['type == feature_used',
 * 'properties.feature == integrations'] } }`; first renewal `{ id: 'renewed', when: 'type ==
 * subscription_renewed' }`.
 *
 * Missing-data policy: none; every problem is located (`milestones.2.when`).
 *
 * @param input the milestones (parsed JSON), in funnel order.
 * @returns compiled milestones.
 * @throws ValidationError listing every issue (unknown keys with "did you mean", duplicate ids).
 * @example
 * ```ts
 * parseMilestones([{ id: 'first_login', when: 'type == login' }])[0].count; // => 1
 * ```
 */
export function parseMilestones(
  input: unknown,
  fn = 'parseMilestones',
  base: (string | number)[] = [],
): Milestone[] {
  // `fn` and `base` are for callers inside the library (they locate errors in their own options);
  // from outside, anything but the defaults (an options object, a symbol, a BigInt) was a TypeError.
  if (
    typeof fn !== 'string' ||
    fn.length === 0 ||
    fn.length > 100 ||
    !Array.isArray(base) ||
    base.length > 32 ||
    !base.every((p) => typeof p === 'string' || typeof p === 'number')
  )
    throw new ValidationError('parseMilestones', [
      {
        path: [],
        code: 'invalid_type',
        message: `takes the milestones only (its other parameters are internal), got ${showValue(fn)} and ${showValue(base)}`,
      },
    ]);
  if (!Array.isArray(input) || input.length === 0)
    throw new ValidationError(fn, [
      { path: base, code: 'required', message: 'milestones must be a non-empty array' },
    ]);
  const issues: ValidationIssue[] = [];
  const out: Milestone[] = [];
  const ids = new Set<string>();
  input.forEach((raw, i) => {
    const path = [...base, i];
    if (isPlainObject(raw)) {
      const u = unknownKeyIssues(raw, KEYS, path);
      if (u.length > 0) {
        issues.push(...u);
        return;
      }
    }
    const r = schema().safeParse(raw);
    if (!r.success) {
      issues.push(...zodIssues(r.error, path));
      return;
    }
    const m = r.data;
    if (ids.has(m.id))
      issues.push({
        path: [...path, 'id'],
        code: 'duplicate_id',
        message: `milestone id "${m.id}" is used twice`,
      });
    ids.add(m.id);
    if (m.when === undefined) {
      issues.push({ path: [...path, 'when'], code: 'required', message: '"when" is required' });
      return;
    }
    const before = issues.length;
    const when = compileCondition(m.when, [...path, 'when'], issues);
    if (issues.length > before) return;
    const fields = conditionFields(when);
    if (m.distinct) fields.add(m.distinct);
    out.push({
      id: m.id,
      label: m.label ?? m.id,
      when,
      count: m.count ?? 1,
      distinct: m.distinct ? m.distinct.split('.') : null,
      fields: [...fields].sort(),
    });
  });
  if (issues.length > 0) throw new ValidationError(fn, issues, 'milestones');
  return out;
}
