import * as z from 'zod';
import { type ValidationIssue, zodIssues } from '../errors';
import { lazy } from '../lazy';
import { isPlainObject } from '../safe';
import {
  type CompiledCondition,
  MAX_CONDITION_LENGTH,
  MAX_RULE_DEPTH,
  RULE_OPERATORS,
  type RuleOperator,
} from './types';

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

const ORDER_OPS: ReadonlySet<string> = new Set(['<', '<=', '>', '>=']);
const STRING_OPS: ReadonlySet<string> = new Set(['starts_with', 'ends_with']);

// The zod schemas are built on first use (`lazy`): a module-level constant each, not per-call data.
const schemas = lazy(() => {
  const primitive = z.union([
    z.string().max(10_000),
    z.number().refine(Number.isFinite, 'must be finite'),
    z.boolean(),
    z.null(),
  ]);
  const groupSchema = (key: 'all' | 'any') =>
    z.strictObject({ [key]: z.array(z.unknown()).min(1, `"${key}" needs at least one condition`).max(1000) });
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
  const comparison = z
    .strictObject({
      field: fieldSchema,
      op: z.enum(RULE_OPERATORS as [RuleOperator, ...RuleOperator[]]),
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
      } else if (ORDER_OPS.has(c.op) && typeof c.value !== 'number' && typeof c.value !== 'string') {
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `"${c.op}" needs a number or string value`,
        });
      } else if (STRING_OPS.has(c.op) && typeof c.value !== 'string') {
        ctx.addIssue({ code: 'custom', path: ['value'], message: `"${c.op}" needs a string value` });
      }
    });
  return {
    all: groupSchema('all'),
    any: groupSchema('any'),
    not: z.strictObject({ not: z.unknown() }),
    comparison,
  };
});

/** zod schema of one comparison `{ field, op, value }` (built on its first call). */
export const comparisonSchema = lazy(() => schemas().comparison);

const PLACEHOLDER: CompiledCondition = { kind: 'all', items: [] };

/** The first 60 characters of a long text, for messages (never echo a 1 MB input). */
export function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}… (${text.length} characters)` : text;
}

/**
 * Validates and compiles one condition of the rule language (see {@link RuleCondition}) into a tree
 * that {@link evaluateCondition} evaluates without `eval`. Problems are appended to `issues`, located
 * under `path` (`segments.1.when.all.0.op`); the returned tree is then a placeholder and must not be
 * used. Nesting deeper than {@link MAX_RULE_DEPTH} is rejected (no stack overflow on hostile input),
 * strings longer than {@link MAX_CONDITION_LENGTH} too; the string form is read in linear time.
 *
 * @param node the condition (parsed JSON).
 * @param path where it sits in the caller's input, for messages.
 * @param issues receives every problem found.
 * @returns the compiled condition.
 * @example
 * ```ts
 * const issues = [];
 * compileCondition('Quantity < 0', ['when'], issues);
 * // => { kind: 'cmp', field: 'Quantity', path: ['Quantity'], op: '<', value: 0 }
 * ```
 */
export function compileCondition(
  node: unknown,
  path: (string | number)[],
  issues: ValidationIssue[],
  depth = 0,
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
    const r = take(key === 'all' ? schemas().all : schemas().any) as Record<string, unknown[]> | null;
    if (r === null) return PLACEHOLDER;
    const list = r[key] as unknown[];
    const items: CompiledCondition[] = [];
    for (let i = 0; i < list.length; i++) {
      items.push(compileCondition(list[i], [...path, key, i], issues, depth + 1));
      if (issues.length > 100) break;
    }
    return { kind: key, items };
  }
  if (Object.hasOwn(node, 'not')) {
    const r = take(schemas().not);
    if (r === null) return PLACEHOLDER;
    return { kind: 'not', item: compileCondition(r.not, [...path, 'not'], issues, depth + 1) };
  }
  if (Object.hasOwn(node, 'field') || Object.hasOwn(node, 'op')) {
    const r = take(schemas().comparison);
    if (r === null) return PLACEHOLDER;
    return { kind: 'cmp', field: r.field, path: r.field.split('.'), op: r.op, value: r.value };
  }
  const keys = Object.keys(node);
  issues.push({
    path,
    code: 'invalid_condition',
    message: `unknown condition with keys [${preview(keys.slice(0, 10).join(', '))}]; expected all, any, not or field/op/value`,
  });
  return PLACEHOLDER;
}

const SYMBOL_OPS = ['<=', '>=', '==', '!=', '<', '>'] as const;
const WORD_OPS: ReadonlySet<string> = new Set([
  'in',
  'not_in',
  'contains',
  'starts_with',
  'ends_with',
  'exists',
  'missing',
]);
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
const isOpChar = (c: number): boolean => c === 60 || c === 62 || c === 61 || c === 33; // < > = !
const NUMBER_CHARS = /^[+-]?[\d.]+(?:e[+-]?\d+)?$/i;
const BARE_WORD = /^[\w.@:+-]+$/;

/**
 * Reads a literal of the string form: a JSON string or array, `true` / `false` / `null`, a number
 * (`40`, `-3`, `.5`, `+50`, `1e3`) or a bare word (`enterprise`). A bare word that starts like a
 * number but is not one (`10k`, `1.2.3`) is an error, never silently a string.
 */
function readLiteral(raw: string): { value: unknown } | { error: string } {
  const c = raw[0];
  if (c === '"' || c === '[') {
    try {
      return { value: JSON.parse(raw) };
    } catch {
      return { error: `cannot read ${preview(raw)} as JSON` };
    }
  }
  if (raw === 'true') return { value: true };
  if (raw === 'false') return { value: false };
  if (raw === 'null') return { value: null };
  if (c !== undefined && /[\d+\-.]/.test(c)) {
    const n = Number(raw);
    const digits = raw.replace(/^[+-]/, '').split(/e/i)[0] as string;
    if (NUMBER_CHARS.test(raw) && Number.isFinite(n) && /\d/.test(digits) && digits.split('.').length <= 2)
      return { value: n };
    if (c === '-' || c === '+' || c === '.' || /\d/.test(c))
      return {
        error: `${preview(raw)} is not a number; write the number in full (10000, not 10k), or quote it for a string ("${preview(raw)}")`,
      };
  }
  if (BARE_WORD.test(raw)) return { value: raw };
  return { error: `cannot read value ${preview(raw)}; quote strings` };
}

function compileShorthand(
  text: string,
  path: (string | number)[],
  issues: ValidationIssue[],
): CompiledCondition {
  if (text.length > MAX_CONDITION_LENGTH) {
    issues.push({
      path,
      code: 'too_long',
      message: `condition "${preview(text)}" is longer than ${MAX_CONDITION_LENGTH} characters`,
    });
    return PLACEHOLDER;
  }
  const bad = (message: string): CompiledCondition => {
    issues.push({ path, code: 'invalid_condition', message });
    return PLACEHOLDER;
  };
  const expected = `expected "<field> <op> <value>" with op one of ${RULE_OPERATORS.join(' ')}`;
  // One left-to-right scan: field, operator, value (linear time whatever the input).
  const n = text.length;
  let i = 0;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  const fieldStart = i;
  while (i < n && !isSpace(text.charCodeAt(i)) && !isOpChar(text.charCodeAt(i))) i++;
  const field = text.slice(fieldStart, i);
  if (field.length === 0) return bad(`cannot read condition "${preview(text)}": no field; ${expected}`);
  const afterField = i;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  let op: string | undefined;
  for (const s of SYMBOL_OPS) {
    if (text.startsWith(s, i)) {
      op = s;
      i += s.length;
      break;
    }
  }
  if (op === undefined) {
    if (i === afterField) return bad(`cannot read condition "${preview(text)}": ${expected}`);
    const opStart = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    op = text.slice(opStart, i);
    if (!WORD_OPS.has(op))
      return bad(`cannot read condition "${preview(text)}": unknown operator "${preview(op)}"; ${expected}`);
  }
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  let end = n;
  while (end > i && isSpace(text.charCodeAt(end - 1))) end--;
  const raw = text.slice(i, end);
  let candidate: Record<string, unknown>;
  if (op === 'exists' || op === 'missing') {
    if (raw.length > 0) return bad(`in "${preview(text)}": "${op}" takes no value`);
    candidate = { field, op };
  } else {
    if (raw.length === 0) return bad(`in "${preview(text)}": "${op}" needs a value`);
    const lit = readLiteral(raw);
    if ('error' in lit) {
      issues.push({ path, code: 'invalid_value', message: `in "${preview(text)}": ${lit.error}` });
      return PLACEHOLDER;
    }
    candidate = { field, op, value: lit.value };
  }
  const r = schemas().comparison.safeParse(candidate);
  if (!r.success) {
    for (const iss of zodIssues(r.error))
      issues.push({ ...iss, path, message: `in "${preview(text)}": ${iss.message}` });
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

/** Every field a compiled condition reads (for checking them against a file's columns). */
export function conditionFields(c: CompiledCondition, out: Set<string> = new Set()): Set<string> {
  if (c.kind === 'cmp') out.add(c.field);
  else if (c.kind === 'not') conditionFields(c.item, out);
  else for (const item of c.items) conditionFields(item, out);
  return out;
}
