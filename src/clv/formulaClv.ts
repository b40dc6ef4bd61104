import { optionError } from '../_lib/errors';
import { fmtMoney, isCurrencyCode } from '../_lib/format';
import { checkOptions } from './_errors';

/** Inputs of {@link formulaClv}. */
export interface FormulaClvInput {
  /** Average revenue per account per period (e.g. per month). */
  arpa: number;
  /** Gross margin as a fraction. @default 1 */
  margin?: number;
  /** Churn rate per period, in (0, 1]. */
  churnRate: number;
  /** Discount rate per period; 0 for the textbook formula. @default 0 */
  discountRate?: number;
  /** Number of periods to sum; Infinity for the closed form. @default Infinity */
  horizon?: number;
  /** ISO 4217 code for the amounts in `explanation` (via `Intl.NumberFormat`); plain numbers without it. @default none */
  currency?: string;
}

const KNOWN_INPUT = ['arpa', 'margin', 'churnRate', 'discountRate', 'horizon', 'currency'] as const;

/** Result of {@link formulaClv}. */
export interface FormulaClvResult {
  /** CLV, or null when it cannot be computed (see `reason`). */
  value: number | null;
  /** Expected lifetime in periods (1/churn for an infinite horizon). */
  expectedLifetime: number | null;
  reason: string | null;
  explanation: string;
}

/**
 * The "formula" CLV of SaaS finance: ARPA × margin / churn rate, i.e. margin per period times the
 * expected lifetime 1/c of a constant-churn customer. With a discount rate d and/or a finite
 * horizon H it is the sum Σ_{k=0}^{H−1} ARPA·margin·((1−c)/(1+d))^k (payment at the start of each
 * period; equals ARPA·margin·(1+d)/(c+d) for H = ∞).
 *
 * Missing-data policy: a churn rate of 0 (or non-finite inputs) gives `value: null` with a reason
 * instead of Infinity/NaN.
 *
 * @param input `{ arpa, margin?, churnRate, discountRate?, horizon?, currency? }` (unknown keys rejected).
 * @returns `{ value, expectedLifetime, reason, explanation }`.
 * @example
 * ```ts
 * formulaClv({ arpa: 100, margin: 0.8, churnRate: 0.02 }).value; // => 4000  (100 × 0.8 / 0.02)
 * ```
 */
export function formulaClv(input: FormulaClvInput): FormulaClvResult {
  checkOptions('formulaClv', input, KNOWN_INPUT);
  if (input === undefined)
    throw optionError('formulaClv', 'arpa', 'is required (pass { arpa, churnRate })', 'required');
  const currency = input.currency;
  if (currency !== undefined && !isCurrencyCode(currency))
    throw optionError(
      'formulaClv',
      'currency',
      `must be an ISO 4217 code such as "EUR", got ${String(currency)}`,
    );
  const money = (v: number): string => (currency === undefined ? fmt(v) : fmtMoney(v, { currency }));
  const { arpa, churnRate: c } = input;
  const margin = input.margin ?? 1;
  const d = input.discountRate ?? 0;
  const H = input.horizon ?? Number.POSITIVE_INFINITY;
  const bad = (reason: string): FormulaClvResult => ({
    value: null,
    expectedLifetime: null,
    reason,
    explanation: reason,
  });
  if (!Number.isFinite(arpa) || arpa < 0) return bad('formulaClv: "arpa" must be a finite number >= 0');
  if (!Number.isFinite(margin)) return bad('formulaClv: "margin" must be a finite number');
  if (!(d >= 0) || !Number.isFinite(d)) return bad('formulaClv: "discountRate" must be a finite number >= 0');
  if (!(H > 0)) return bad('formulaClv: "horizon" must be > 0');
  if (!(c > 0 && c <= 1)) {
    return bad(
      `formulaClv: churn rate ${c} is not in (0, 1]; with no observed churn the lifetime (and CLV) is unbounded`,
    );
  }
  const q = (1 - c) / (1 + d);
  let factor: number;
  if (Number.isFinite(H)) {
    const h = Math.floor(H);
    factor = q === 1 ? h : -Math.expm1(h * Math.log(q)) / (1 - q);
    if (q === 0) factor = 1;
  } else {
    factor = 1 / (1 - q);
  }
  const value = arpa * margin * factor;
  const lifetime = Number.isFinite(H)
    ? c === 1
      ? 1
      : -Math.expm1(Math.floor(H) * Math.log1p(-c)) / c
    : 1 / c;
  const explanation =
    d === 0 && !Number.isFinite(H)
      ? `${money(arpa)} per period × ${fmt(margin * 100)}% margin / ${fmt(c * 100)}% churn = ${money(value)}`
      : `${money(arpa)} per period × ${fmt(margin * 100)}% margin over an expected ${fmt(lifetime)} periods (churn ${fmt(c * 100)}%, discount ${fmt(d * 100)}%) = ${money(value)}`;
  return { value, expectedLifetime: lifetime, reason: null, explanation };
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}
