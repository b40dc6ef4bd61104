/**
 * Types of the rule language shared by `segmentByRules`, the `when` of event mappings and playbooks:
 * one grammar, one compiler ({@link compileCondition}), one evaluator ({@link evaluateCondition}).
 * @module
 */

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
  | 'starts_with'
  | 'ends_with'
  | 'exists'
  | 'missing';

/** Every operator, in documentation order. */
export const RULE_OPERATORS: readonly RuleOperator[] = [
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  'in',
  'not_in',
  'contains',
  'starts_with',
  'ends_with',
  'exists',
  'missing',
];

/** A literal in a rule. */
export type RulePrimitive = string | number | boolean | null;

/**
 * A condition: `{ all: [...] }`, `{ any: [...] }`, `{ not: ... }`, a comparison
 * `{ field: 'health.score', op: '<', value: 40 }`, or the same comparison as a string
 * `"health.score < 40"` (also `"plan in [\"a\", \"b\"]"`, `"email exists"`, `"InvoiceNo starts_with C"`).
 */
export type RuleCondition =
  | string
  | { all: readonly RuleCondition[] }
  | { any: readonly RuleCondition[] }
  | { not: RuleCondition }
  | { field: string; op: RuleOperator; value?: RulePrimitive | readonly RulePrimitive[] };

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

/** Maximum nesting depth of conditions (`all` / `any` / `not`), everywhere the rule language is used. */
export const MAX_RULE_DEPTH = 32;

/** Maximum length of a condition written as a string (`"health.score < 40"`). */
export const MAX_CONDITION_LENGTH = 1000;
