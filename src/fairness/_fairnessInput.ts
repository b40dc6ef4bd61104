/** Validation of `auditFairness`' input (predictions, outcomes, groups) and options. */
import {
  checkOptions,
  optionError,
  unknownKeyIssues,
  ValidationError,
  type ValidationIssue,
} from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import type { AuditFairnessOptions, FairnessInput } from './auditFairness';

export const FN = 'auditFairness';
const INPUT_KEYS = ['probabilities', 'scores', 'outcomes', 'groups'];

/** The validated input: predictions of one kind, outcomes as 0/1, one group per row. */
export interface FairnessRows {
  hasP: boolean;
  kind: 'probabilities' | 'scores';
  pred: ArrayLike<number>;
  groups: ArrayLike<string>;
  n: number;
  /** Outcome per row: 1 = churned. */
  y: Uint8Array;
}

/** The validated options, defaults applied. */
export interface FairnessSettings {
  higherIsRisk: boolean;
  threshold: number;
  minGroupSize: number;
  limits: { demographicParity: number; equalisedOdds: number; auc: number };
}

/** Checks the input's shape (keys, one kind of prediction, arrays of one length), then every row. */
export function readFairnessInput(input: FairnessInput): FairnessRows {
  if (!isPlainObject(input))
    throw new ValidationError(FN, [
      {
        path: [],
        code: 'not_plain_object',
        message: 'input must be { probabilities | scores, outcomes, groups }',
      },
    ]);
  const unknown = unknownKeyIssues(input, INPUT_KEYS, [], 'input key');
  if (unknown.length > 0) throw new ValidationError(FN, unknown, 'input');
  const hasP = input.probabilities !== undefined;
  const hasS = input.scores !== undefined;
  if (hasP === hasS)
    throw new ValidationError(FN, [
      {
        path: [hasP ? 'scores' : 'probabilities'],
        code: 'invalid_union',
        message: 'give exactly one of "probabilities" and "scores"',
      },
    ]);
  const kind = hasP ? 'probabilities' : 'scores';
  const pred = (hasP ? input.probabilities : input.scores) as ArrayLike<number>;
  const { outcomes, groups } = input;
  const issues: ValidationIssue[] = [];
  for (const [name, arr] of [
    [kind, pred],
    ['outcomes', outcomes],
    ['groups', groups],
  ] as const)
    if (arr === null || typeof arr !== 'object' || typeof arr.length !== 'number')
      issues.push({ path: [name], code: 'not_an_array', message: `"${name}" must be an array` });
  if (issues.length > 0) throw new ValidationError(FN, issues);
  const n = pred.length;
  for (const [name, arr] of [
    ['outcomes', outcomes],
    ['groups', groups],
  ] as const)
    if (arr.length !== n)
      issues.push({
        path: [name],
        code: 'invalid_length',
        message: `"${name}" has ${arr.length} entries for ${n} ${kind}`,
      });
  if (issues.length > 0) throw new ValidationError(FN, issues);
  const y = readRows(hasP, kind, pred, outcomes, groups, issues);
  if (issues.length > 0) throw new ValidationError(FN, issues, 'input');
  return { hasP, kind, pred, groups, n, y };
}

/** Each row's prediction, outcome and group checked (the first 100 problems located); the outcomes as 0/1. */
function readRows(
  hasP: boolean,
  kind: FairnessRows['kind'],
  pred: ArrayLike<number>,
  outcomes: FairnessInput['outcomes'],
  groups: ArrayLike<string>,
  issues: ValidationIssue[],
): Uint8Array {
  const n = pred.length;
  const y = new Uint8Array(n);
  for (let i = 0; i < n && issues.length < 100; i++) {
    const p = pred[i];
    if (typeof p !== 'number' || !Number.isFinite(p) || (hasP && (p < 0 || p > 1)))
      issues.push({
        index: i,
        path: [kind, i],
        code: 'out_of_range',
        message: hasP ? 'a probability must be a number in [0, 1]' : 'a score must be a finite number',
      });
    const o = outcomes[i];
    if (o === 1 || o === true) y[i] = 1;
    else if (!(o === 0 || o === false))
      issues.push({
        index: i,
        path: ['outcomes', i],
        code: 'invalid_label',
        message: 'an outcome must be 0, 1, true or false',
      });
    const g = groups[i];
    if (typeof g !== 'string' || g.length === 0)
      issues.push({
        index: i,
        path: ['groups', i],
        code: 'required',
        message: 'a group must be a non-empty string',
      });
  }
  return y;
}

/** Score direction, threshold, minimum group size and limits, checked, with their defaults. */
export function readFairnessOptions(options: AuditFairnessOptions, hasP: boolean): FairnessSettings {
  const higherIsRisk = options.higherIsRisk ?? hasP;
  if (hasP && options.higherIsRisk === false)
    throw optionError(FN, 'higherIsRisk', 'cannot be false for probabilities (higher is riskier)');
  if (options.threshold === undefined && !hasP)
    throw optionError(
      FN,
      'threshold',
      'is required for scores (e.g. 40: a health score at or below 40 selects the customer)',
      'required',
    );
  const threshold = options.threshold ?? 0.5;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold))
    throw optionError(FN, 'threshold', 'must be a finite number', 'not_finite');
  const minGroupSize = options.minGroupSize ?? 30;
  if (!Number.isInteger(minGroupSize) || minGroupSize < 1)
    throw optionError(FN, 'minGroupSize', 'must be an integer >= 1', 'out_of_range');
  if (options.limits !== undefined && !isPlainObject(options.limits))
    throw optionError(FN, 'limits', 'must be an object', 'invalid_type');
  checkOptions(FN, options.limits, ['demographicParity', 'equalisedOdds', 'auc']);
  const limits = { demographicParity: 0.1, equalisedOdds: 0.1, auc: 0.05, ...options.limits };
  for (const [k, v] of Object.entries(limits))
    if (typeof v !== 'number' || !(v >= 0 && v <= 1))
      throw optionError(FN, `limits.${k}`, 'must be a number in [0, 1]', 'out_of_range');
  return { higherIsRisk, threshold, minGroupSize, limits };
}
