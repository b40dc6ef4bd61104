import * as z from 'zod';
import { ValidationError, type ValidationIssue, zodIssues } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';

/** Comparison operators of the rule language. */
export type RuleOperator =
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | '!='
  | 'in'
  | 'not_in'
  | 'contains'
  | 'exists'
  | 'missing';

/** A literal in a rule. */
export type RulePrimitive = string | number | boolean | null;

/**
 * A condition: `{ all: [...] }`, `{ any: [...] }`, `{ not: ... }`, a comparison
 * `{ field: 'health.score', op: '<', value: 40 }`, or the same comparison as a string
 * `"health.score < 40"` (also `"plan in [\"a\", \"b\"]"`, `"email exists"`).
 */
export type RuleCondition =
  | string
  | { all: readonly RuleCondition[] }
  | { any: readonly RuleCondition[] }
  | { not: RuleCondition }
  | { field: string; op: RuleOperator; value?: RulePrimitive | readonly RulePrimitive[] };

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

/** A compiled condition node (internal representation, safe to evaluate). */
export type CompiledCondition =
  | { kind: 'all' | 'any'; items: CompiledCondition[] }
  | { kind: 'not'; item: CompiledCondition }
  | {
      kind: 'cmp';
      field: string;
      path: string[];
      op: RuleOperator;
      value: RulePrimitive | readonly RulePrimitive[] | undefined;
    };

/** A validated, compiled rule set. */
export interface CompiledSegmentRules {
  mode: 'first' | 'all';
  default: string | null;
  segments: { name: string; description: string | null; when: CompiledCondition }[];
}

/** Maximum nesting depth of conditions. */
export const MAX_RULE_DEPTH = 32;

const OPERATORS = [
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  'in',
  'not_in',
  'contains',
  'exists',
  'missing',
] as const;
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

const primitive = z.union([
  z.string().max(10_000),
  z.number().refine(Number.isFinite, 'must be finite'),
  z.boolean(),
  z.null(),
]);
const ruleSetSchema = z.strictObject({
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
});
const groupSchema = (key: 'all' | 'any') =>
  z.strictObject({ [key]: z.array(z.unknown()).min(1, `"${key}" needs at least one condition`).max(1000) });
const allSchema = groupSchema('all');
const anySchema = groupSchema('any');
const notSchema = z.strictObject({ not: z.unknown() });
const fieldSchema = z
  .string()
  .min(1)
  .max(500)
  .superRefine((f, ctx) => {
    const parts = f.split('.');
    if (parts.some((p) => p.length === 0))
      ctx.addIssue({ code: 'custom', message: `field "${f}" has an empty path segment` });
    for (const p of parts) {
      if (FORBIDDEN.has(p))
        ctx.addIssue({ code: 'custom', message: `field "${f}" uses the forbidden path segment "${p}"` });
    }
  });
const comparisonSchema = z
  .strictObject({
    field: fieldSchema,
    op: z.enum(OPERATORS),
    value: z.union([primitive, z.array(primitive).max(10_000)]).optional(),
  })
  .superRefine((c, ctx) => {
    const isArray = Array.isArray(c.value);
    if (c.op === 'exists' || c.op === 'missing') {
      if (c.value !== undefined)
        ctx.addIssue({ code: 'custom', path: ['value'], message: `"${c.op}" takes no value` });
    } else if (c.op === 'in' || c.op === 'not_in') {
      if (!isArray)
        ctx.addIssue({ code: 'custom', path: ['value'], message: `"${c.op}" needs an array value` });
    } else if (c.value === undefined || isArray) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `"${c.op}" needs a single value` });
    } else if (
      ['<', '<=', '>', '>='].includes(c.op) &&
      typeof c.value !== 'number' &&
      typeof c.value !== 'string'
    ) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `"${c.op}" needs a number or string value` });
    }
  });

const SHORTHAND = /^\s*([^\s<>=!]+)\s*(<=|>=|==|!=|<|>|\s+in\s+|\s+not_in\s+|\s+contains\s+)\s*(.+?)\s*$/;
const UNARY = /^\s*([^\s<>=!]+)\s+(exists|missing)\s*$/;

/**
 * Validates a rule set (e.g. parsed JSON) with zod and compiles it into a tree that
 * `segmentByRules` evaluates without `eval`. Every problem is reported with its location
 * (`segments.1.when.all.0.op`), not just the first. Field paths are split on dots; the segments
 * `__proto__`, `prototype` and `constructor` are rejected. Nesting deeper than {@link MAX_RULE_DEPTH}
 * is rejected.
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
  const parsed = ruleSetSchema.safeParse(rules);
  if (!parsed.success) throw new ValidationError(fn, zodIssues(parsed.error), 'rules');
  const issues: ValidationIssue[] = [];
  const segments = parsed.data.segments.map((s, i) => ({
    name: s.name,
    description: s.description ?? null,
    when: compile(s.when, ['segments', i, 'when'], 0, issues),
  }));
  if (issues.length > 0) throw new ValidationError(fn, issues, 'rules');
  return { mode: parsed.data.mode ?? 'first', default: parsed.data.default ?? null, segments };
}

const PLACEHOLDER: CompiledCondition = { kind: 'all', items: [] };

function compile(
  node: unknown,
  path: (string | number)[],
  depth: number,
  issues: ValidationIssue[],
): CompiledCondition {
  if (depth > MAX_RULE_DEPTH) {
    issues.push({
      path,
      code: 'too_deep',
      message: `conditions nested deeper than ${MAX_RULE_DEPTH} levels`,
    });
    return PLACEHOLDER;
  }
  if (typeof node === 'string') return compileShorthand(node, path, issues);
  if (!isPlainObject(node)) {
    issues.push({
      path,
      code: 'invalid_condition',
      message:
        'expected a condition: {all: [...]}, {any: [...]}, {not: ...}, {field, op, value} or a string like "health.score < 40"',
    });
    return PLACEHOLDER;
  }
  const take = <T>(schema: z.ZodType<T>): T | null => {
    const r = schema.safeParse(node);
    if (r.success) return r.data;
    issues.push(...zodIssues(r.error, path));
    return null;
  };
  if (Object.hasOwn(node, 'all') || Object.hasOwn(node, 'any')) {
    const key = Object.hasOwn(node, 'all') ? 'all' : 'any';
    const r = take(key === 'all' ? allSchema : anySchema) as Record<string, unknown[]> | null;
    if (r === null) return PLACEHOLDER;
    const list = r[key] as unknown[];
    return { kind: key, items: list.map((c, i) => compile(c, [...path, key, i], depth + 1, issues)) };
  }
  if (Object.hasOwn(node, 'not')) {
    const r = take(notSchema);
    if (r === null) return PLACEHOLDER;
    return { kind: 'not', item: compile(r.not, [...path, 'not'], depth + 1, issues) };
  }
  if (Object.hasOwn(node, 'field') || Object.hasOwn(node, 'op')) {
    const r = take(comparisonSchema);
    if (r === null) return PLACEHOLDER;
    return { kind: 'cmp', field: r.field, path: r.field.split('.'), op: r.op, value: r.value };
  }
  issues.push({
    path,
    code: 'invalid_condition',
    message: `unknown condition with keys [${Object.keys(node).join(', ')}]; expected all, any, not or field/op/value`,
  });
  return PLACEHOLDER;
}

function compileShorthand(
  text: string,
  path: (string | number)[],
  issues: ValidationIssue[],
): CompiledCondition {
  const unary = UNARY.exec(text);
  let candidate: unknown;
  if (unary) candidate = { field: unary[1], op: unary[2] };
  else {
    const m = SHORTHAND.exec(text);
    if (!m) {
      issues.push({
        path,
        code: 'invalid_condition',
        message: `cannot read condition "${text}"; expected "<field> <op> <value>" with op one of ${OPERATORS.join(' ')}`,
      });
      return PLACEHOLDER;
    }
    const raw = m[3] as string;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      // Bare words (plan == enterprise) are strings.
      value = /^[\w.@:+-]+$/.test(raw) ? raw : undefined;
      if (value === undefined) {
        issues.push({
          path,
          code: 'invalid_value',
          message: `cannot read value ${raw} in "${text}"; quote strings`,
        });
        return PLACEHOLDER;
      }
    }
    candidate = { field: m[1], op: (m[2] as string).trim(), value };
  }
  const r = comparisonSchema.safeParse(candidate);
  if (!r.success) {
    for (const i of zodIssues(r.error)) issues.push({ ...i, path, message: `in "${text}": ${i.message}` });
    return PLACEHOLDER;
  }
  return {
    kind: 'cmp',
    field: r.data.field,
    path: r.data.field.split('.'),
    op: r.data.op,
    value: r.data.value,
  };
}
