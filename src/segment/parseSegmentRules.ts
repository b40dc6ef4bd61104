import * as z from 'zod';
import { ValidationError, type ValidationIssue, zodIssues } from '../_lib/errors';
import { lazy } from '../_lib/lazy';
import { type CompiledCondition, compileCondition, type RuleCondition } from '../_lib/rules';
import { callerName } from './_input';

export type { CompiledCondition, RuleCondition, RuleOperator, RulePrimitive } from '../_lib/rules';
export { MAX_RULE_DEPTH } from '../_lib/rules';

/** One named segment and its condition. */
export interface SegmentRule {
  name: string;
  description?: string;
  when: RuleCondition;
}

/** A rule set, as JSON. */
export interface SegmentRules {
  /** `first`: each customer gets the first matching segment; `all`: every matching segment. @default 'first' */
  mode?: 'first' | 'all';
  segments: readonly SegmentRule[];
  /** Segment for customers matching nothing; null leaves them unassigned. @default null */
  default?: string | null;
}

/** A validated, compiled rule set. */
export interface CompiledSegmentRules {
  mode: 'first' | 'all';
  default: string | null;
  segments: { name: string; description: string | null; when: CompiledCondition }[];
}

const ruleSetSchema = lazy(() =>
  z.strictObject({
    mode: z.enum(['first', 'all']).optional(),
    default: z.string().min(1).max(200).nullable().optional(),
    segments: z
      .array(
        z.strictObject({
          name: z.string().min(1).max(200),
          description: z.string().max(2000).optional(),
          when: z.unknown().refine((v) => v !== undefined, 'a condition is required'),
        }),
      )
      .min(1)
      .max(1000),
  }),
);

/**
 * Validates a rule set (e.g. parsed JSON) with zod and compiles it into a tree that
 * `segmentByRules` evaluates without `eval`. Every problem is reported with its location
 * (`segments.1.when.all.0.op`), not just the first. Field paths are split on dots; the segments
 * `__proto__`, `prototype` and `constructor` are rejected. Nesting deeper than {@link MAX_RULE_DEPTH}
 * is rejected. The condition grammar is the shared rule language of `src/_lib/rules` (also used by
 * event mappings).
 *
 * @param rules the candidate rule set.
 * @param fn public function name used in error messages.
 * @returns the compiled rules.
 * @throws ValidationError listing every located issue.
 * @example
 * ```ts
 * parseSegmentRules({ segments: [{ name: 'At risk', when: 'health.score < 40' }] });
 * // => { mode: 'first', default: null, segments: [{ name: 'At risk', description: null, when: { kind: 'cmp', field: 'health.score', path: ['health', 'score'], op: '<', value: 40 } }] }
 * ```
 */
export function parseSegmentRules(rules: unknown, fn = 'parseSegmentRules'): CompiledSegmentRules {
  fn = callerName(fn, 'parseSegmentRules');
  const parsed = ruleSetSchema().safeParse(rules);
  if (!parsed.success) throw new ValidationError(fn, zodIssues(parsed.error), 'rules');
  const issues: ValidationIssue[] = [];
  const segments = parsed.data.segments.map((s, i) => ({
    name: s.name,
    description: s.description ?? null,
    when: compileCondition(s.when, ['segments', i, 'when'], issues),
  }));
  if (issues.length > 0) throw new ValidationError(fn, issues, 'rules');
  return { mode: parsed.data.mode ?? 'first', default: parsed.data.default ?? null, segments };
}
