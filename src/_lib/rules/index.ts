/**
 * The rule language, shared by `segmentByRules`, event-mapping `when` conditions and playbooks.
 * @module
 */
export { comparisonSchema, compileCondition, conditionFields, preview } from './compileCondition';
export type { ToNumber } from './evaluateCondition';
export {
  compareValues,
  conditionPredicate,
  evaluateCondition,
  lookupPath,
  MISSING,
} from './evaluateCondition';
export type { CompiledCondition, RuleCondition, RuleOperator, RulePrimitive } from './types';
export { MAX_CONDITION_LENGTH, MAX_RULE_DEPTH, RULE_OPERATORS } from './types';
