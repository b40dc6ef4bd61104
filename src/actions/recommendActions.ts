import { checkOptions, optionError, ValidationError, type ValidationIssue } from '../_lib/errors';
import { fmtMoney, fmtPercent, isCurrencyCode } from '../_lib/format';
import { evaluateCondition } from '../_lib/rules';
import { isPlainObject } from '../_lib/safe';
import { MS_PER_DAY, requireEpochMs } from '../_lib/time';
import type { AsOfOptions, VitalsWarning } from '../types';
import { isCompiledPlaybook, parsePlaybook } from './parsePlaybook';
import type {
  CustomerActions,
  Playbook,
  PlaybookInput,
  RecommendActionsResult,
  RecommendedAction,
  RecommendWarningCode,
} from './types';

const FN = 'recommendActions';
const KEYS = ['asOf', 'mrrMonths', 'maxPerCustomer', 'currency'] as const;

/** Options of {@link recommendActions}. */
export interface RecommendActionsOptions extends AsOfOptions {
  /** Months of MRR counted as the value at stake when a customer has no `clv`. @default 12 */
  mrrMonths?: number;
  /** Most actions listed per customer (best first). @default 3 */
  maxPerCustomer?: number;
  /** ISO 4217 code for the amounts in explanations (`USD` gives `$4,200.00`). @default none (plain number) */
  currency?: string;
}

/**
 * A customer record as `recommendActions` reads it: `customerId`, optionally `churnProbability`
 * (0..1), `clv` and `mrr`, plus any fields the playbook's conditions name (`band`, `segment`,
 * `stage`, `drivers.payment_failed`, ...).
 */
export interface ActionCustomer {
  customerId: string;
  churnProbability?: number | null;
  clv?: number | null;
  mrr?: number | null;
  [field: string]: unknown;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Next-best actions: every play of the playbook whose condition a customer matches becomes a
 * proposed action with its owner and due date, ranked per customer by **value at stake** =
 * churn probability × value, where value is the customer's `clv` when given, else `mrr ×
 * mrrMonths` (default 12 months of recurring revenue). Customers are ordered by their largest value
 * at stake, so the team works the biggest expected losses first. Each action carries a sentence:
 * `2 failed payments → update_billing; $4,200.00 CLV at 64% risk`.
 *
 * Missing-data policy: a customer without `churnProbability` or without both `clv` and `mrr` still
 * gets the matching actions, with `valueAtStake: null` (ranked after known values, then by play
 * priority) and the warnings `no_probability` / `no_value_basis` (counted once per run). A repeated
 * customer id is used once (`duplicate_customer`). Warning codes: `no_probability`,
 * `no_value_basis`, `duplicate_customer`.
 *
 * @param customers customer records (e.g. joined health, churn and CLV results).
 * @param playbook a playbook (validated here with `parsePlaybook`, or already compiled).
 * @param options `asOf` (required: due dates count from it), `mrrMonths`, `maxPerCustomer`, `currency`.
 * @returns customers with ranked actions, matches per play, the fields read and warnings.
 * @throws ValidationError for bad options, a bad playbook, or rows that are not records with a
 *   non-empty `customerId` and probabilities in [0, 1] (every row located).
 * @example
 * ```ts
 * const r = recommendActions(
 *   [{ customerId: 'a', failedPayments: 2, churnProbability: 0.64, clv: 4200 }],
 *   { plays: [{ id: 'billing', when: 'failedPayments >= 2', reason: '2 failed payments', action: 'update_billing', owner: 'billing' }] },
 *   { asOf: '2025-01-01', currency: 'USD' },
 * );
 * r.customers[0].actions[0].explanation; // => '2 failed payments → update_billing; $4,200.00 CLV at 64% risk'
 * r.customers[0].valueAtStake; // => 2688
 * ```
 */
export function recommendActions(
  customers: readonly ActionCustomer[],
  playbook: PlaybookInput | Playbook,
  options: RecommendActionsOptions = {},
): RecommendActionsResult {
  checkOptions(FN, options, KEYS);
  const asOf = requireEpochMs(options.asOf, FN, 'asOf');
  const mrrMonths = options.mrrMonths ?? 12;
  if (typeof mrrMonths !== 'number' || !Number.isFinite(mrrMonths) || mrrMonths <= 0 || mrrMonths > 1200)
    throw optionError(FN, 'mrrMonths', 'must be a number in (0, 1200]', 'out_of_range');
  const maxPer = options.maxPerCustomer ?? 3;
  if (!Number.isInteger(maxPer) || maxPer < 1)
    throw optionError(FN, 'maxPerCustomer', 'must be an integer >= 1', 'out_of_range');
  if (options.currency !== undefined && !isCurrencyCode(options.currency))
    throw optionError(FN, 'currency', 'must be an ISO 4217 code such as "USD"', 'invalid_value');
  if (!Array.isArray(customers))
    throw new ValidationError(FN, [
      { path: [], code: 'not_an_array', message: 'customers must be an array' },
    ]);
  const pb = isCompiledPlaybook(playbook) ? playbook : parsePlaybook(playbook);

  checkCustomerRows(customers);

  const money = (v: number) =>
    fmtMoney(v, options.currency === undefined ? {} : { currency: options.currency });
  let noProb = 0;
  let noValue = 0;
  let dup = 0;
  const seen = new Set<string>();
  const matched = new Map<string, number>(pb.plays.map((p) => [p.id, 0]));
  const out: CustomerActions[] = [];
  for (const c of customers) {
    if (seen.has(c.customerId)) {
      dup++;
      continue;
    }
    seen.add(c.customerId);
    const { p, basis, stake, actions } = customerActions(c, pb, matched, { asOf, mrrMonths, money });
    if (actions.length === 0) continue;
    if (p === null) noProb++;
    if (basis === 'none') noValue++;
    // Same customer, same stake: plays order by priority, then due date, then playbook order.
    actions.sort((x, y) => y.priority - x.priority || x.a.dueAt - y.a.dueAt);
    out.push({
      customerId: c.customerId,
      valueAtStake: stake,
      actions: actions.slice(0, maxPer).map((x) => x.a),
    });
  }
  out.sort((x, y) => {
    if (x.valueAtStake === null || y.valueAtStake === null) {
      if (x.valueAtStake !== y.valueAtStake) return x.valueAtStake === null ? 1 : -1;
    } else if (x.valueAtStake !== y.valueAtStake) return y.valueAtStake - x.valueAtStake;
    return x.customerId < y.customerId ? -1 : x.customerId > y.customerId ? 1 : 0;
  });
  const warnings = recommendWarnings(noProb, noValue, dup);
  const dataUsed = [...new Set(['customerId', 'churnProbability', 'clv', 'mrr', ...pb.fields])].sort();
  return { customers: out, matched, dataUsed, warnings };
}

/** Every customer row checked: a record, a non-empty `customerId`, a probability in [0, 1], finite values. */
function checkCustomerRows(customers: readonly ActionCustomer[]): void {
  const issues: ValidationIssue[] = [];
  for (let i = 0; i < customers.length && issues.length < 100; i++) {
    const c = customers[i] as unknown;
    if (!isPlainObject(c)) {
      issues.push({ index: i, path: [], code: 'not_plain_object', message: 'a customer must be a record' });
      continue;
    }
    if (typeof c.customerId !== 'string' || c.customerId.length === 0)
      issues.push({
        index: i,
        path: ['customerId'],
        code: 'required',
        message: 'customerId must be a non-empty string',
      });
    const p = c.churnProbability;
    if (p !== undefined && p !== null && !(typeof p === 'number' && p >= 0 && p <= 1))
      issues.push({
        index: i,
        path: ['churnProbability'],
        code: 'out_of_range',
        message: 'churnProbability must be a number in [0, 1]',
      });
    for (const k of ['clv', 'mrr'] as const) {
      const v = c[k];
      if (v !== undefined && v !== null && num(v) === null)
        issues.push({ index: i, path: [k], code: 'not_finite', message: `${k} must be a finite number` });
    }
  }
  if (issues.length > 0) throw new ValidationError(FN, issues, 'customers');
}

/** One customer's matching plays as actions with their explanations, and its value at stake (counts the matches). */
function customerActions(
  c: ActionCustomer,
  pb: Playbook,
  matched: Map<string, number>,
  at: { asOf: number; mrrMonths: number; money: (v: number) => string },
) {
  const { asOf, mrrMonths, money } = at;
  const p = num(c.churnProbability);
  const clv = num(c.clv);
  const mrr = num(c.mrr);
  const basis: RecommendedAction['basis'] = clv !== null ? 'clv' : mrr !== null ? 'mrr' : 'none';
  const value = clv ?? (mrr === null ? null : mrr * mrrMonths);
  const stake = p === null || value === null ? null : p * value;
  const actions: { a: RecommendedAction; priority: number }[] = [];
  for (const play of pb.plays) {
    if (!evaluateCondition(play.when, c)) continue;
    matched.set(play.id, (matched.get(play.id) ?? 0) + 1);
    let why: string;
    if (p === null) why = 'churn probability unknown';
    else if (basis === 'clv') why = `${money(clv as number)} CLV at ${fmtPercent(p)} risk`;
    else if (basis === 'mrr')
      why = `${money(mrr as number)} MRR × ${mrrMonths} months at ${fmtPercent(p)} risk`;
    else why = `value unknown, ${fmtPercent(p)} risk`;
    actions.push({
      priority: play.priority,
      a: {
        playId: play.id,
        action: play.action,
        owner: play.owner,
        dueAt: asOf + play.dueDays * MS_PER_DAY,
        valueAtStake: stake,
        basis,
        explanation: `${play.reason} → ${play.action}; ${why}`,
      },
    });
  }
  return { p, basis, stake, actions };
}

/** `no_probability`, `no_value_basis`, `duplicate_customer`. */
function recommendWarnings(
  noProb: number,
  noValue: number,
  dup: number,
): VitalsWarning<RecommendWarningCode>[] {
  const warnings: VitalsWarning<RecommendWarningCode>[] = [];
  if (noProb > 0)
    warnings.push({
      code: 'no_probability',
      message: `${noProb} matched customer(s) have no churnProbability, so their value at stake is unknown and they are listed last.`,
    });
  if (noValue > 0)
    warnings.push({
      code: 'no_value_basis',
      message: `${noValue} matched customer(s) have neither clv nor mrr, so their value at stake is unknown.`,
    });
  if (dup > 0)
    warnings.push({
      code: 'duplicate_customer',
      message: `${dup} repeated customer id(s) were ignored (first record used).`,
    });
  return warnings;
}
