/**
 * Number formatting for sentences and tables: one formatter for counts and measures, one for small
 * rates, one for money. Locale-independent by default (`en-US` digits and separators), so a
 * sentence is the same on every machine; money goes through `Intl.NumberFormat` with an ISO 4217
 * currency code, never a hard-coded symbol.
 * @module
 */

/**
 * A number for a sentence: integers as they are (thousands separated with `,` from 10,000), other
 * values with one decimal (two below 1, none from 100), trailing zeros dropped; `-0` reads `0`.
 * Non-finite values are returned as `String(v)` (callers never pass them).
 * @example
 * ```ts no-run
 * fmtNumber(12345); // => '12,345'
 * fmtNumber(3.14159); // => '3.1'
 * fmtNumber(0.125); // => '0.13'
 * fmtNumber(250.4); // => '250'
 * ```
 */
export function fmtNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a < 10000 && Number.isInteger(v)) return v === 0 ? '0' : String(v);
  const digits = Number.isInteger(v) || a >= 100 ? 0 : a >= 1 ? 1 : 2;
  let s = v.toFixed(digits);
  if (digits > 0) s = s.replace(/\.?0+$/, '');
  if (a >= 10000) s = groupThousands(s);
  return s === '-0' ? '0' : s;
}

function groupThousands(s: string): string {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const dot = body.indexOf('.');
  const int = dot < 0 ? body : body.slice(0, dot);
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + grouped + (dot < 0 ? '' : body.slice(dot));
}

/**
 * A rate for a sentence (events a day, tickets a month): two significant digits below 1 (`0.043`,
 * never a misleading `0`), else one decimal as {@link fmtNumber}.
 * @example
 * ```ts no-run
 * fmtRate(0.0432); // => '0.043'
 * fmtRate(2.46); // => '2.5'
 * ```
 */
export function fmtRate(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return fmtNumber(x);
  return Math.abs(x) < 1 ? String(Number(x.toPrecision(2))) : fmtNumber(Math.round(x * 10) / 10);
}

/**
 * A share as a whole percentage (`0.153` → `15%`); one decimal below 10% when it is not whole
 * (`0.043` → `4.3%`).
 * @example
 * ```ts no-run
 * fmtPercent(0.153); // => '15%'
 * fmtPercent(0.043); // => '4.3%'
 * ```
 */
export function fmtPercent(share: number): string {
  if (!Number.isFinite(share)) return String(share);
  const p = share * 100;
  const r = Math.abs(p) < 10 ? Math.round(p * 10) / 10 : Math.round(p);
  return `${fmtNumber(r)}%`;
}

/** Options of {@link fmtMoney}. */
export interface MoneyFormatOptions {
  /** ISO 4217 currency code (`EUR`, `GBP`, `JPY`); without it the amount is a plain number. @default none */
  currency?: string;
  /** BCP 47 locale of the digits and symbol placement. @default 'en-US' */
  locale?: string;
  /** Fraction digits; default: the currency's own (2 for EUR, 0 for JPY), 2 without a currency. */
  fractionDigits?: number;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** True for a 3-letter ISO 4217 code this runtime's `Intl` knows. */
export function isCurrencyCode(code: unknown): code is string {
  if (typeof code !== 'string' || !/^[A-Za-z]{3}$/.test(code)) return false;
  try {
    new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    return true;
  } catch {
    return false;
  }
}

/**
 * An amount of money via `Intl.NumberFormat`: with `currency` it is formatted in that currency
 * (`£1,234.50`, `€1,234.50`, `¥1,235`); without one, as a plain grouped number with two decimals
 * (`1,234.50`): no currency symbol is ever invented. Formatters are cached per option set.
 * @param amount the amount (finite; non-finite values are returned as `String(amount)`).
 * @param options currency (ISO 4217), locale, fraction digits.
 * @returns the formatted amount.
 * @throws RangeError when `currency` is not an ISO 4217 code known to the runtime (callers
 *   validate the option first with {@link isCurrencyCode} and report a `ValidationError`).
 * @example
 * ```ts no-run
 * fmtMoney(1234.5, { currency: 'GBP' }); // => '£1,234.50'
 * fmtMoney(1234.5, { currency: 'EUR', locale: 'de-DE' }); // => '1.234,50 €'
 * fmtMoney(1234.5); // => '1,234.50'
 * ```
 */
export function fmtMoney(amount: number, options: MoneyFormatOptions = {}): string {
  if (!Number.isFinite(amount)) return String(amount);
  const locale = options.locale ?? 'en-US';
  const key = `${locale}|${options.currency ?? ''}|${options.fractionDigits ?? ''}`;
  let f = moneyFormats.get(key);
  if (f === undefined) {
    const digits = options.fractionDigits;
    f = new Intl.NumberFormat(locale, {
      ...(options.currency === undefined
        ? { style: 'decimal', minimumFractionDigits: digits ?? 2, maximumFractionDigits: digits ?? 2 }
        : { style: 'currency', currency: options.currency }),
      ...(options.currency !== undefined && digits !== undefined
        ? { minimumFractionDigits: digits, maximumFractionDigits: digits }
        : {}),
    });
    moneyFormats.set(key, f);
  }
  const s = f.format(amount);
  // Intl writes "-0.00" for tiny negatives; an amount that rounds to zero reads as zero.
  return s.replace(/^-(?=[^1-9]*$)/, '');
}

/**
 * "Plural" helper: `1 login`, `3 logins`, with the number formatted by {@link fmtNumber}.
 * @example
 * ```ts no-run
 * fmtCount(1, 'login', 'logins'); // => '1 login'
 * ```
 */
export function fmtCount(n: number, one: string, many: string): string {
  return `${fmtNumber(n)} ${Math.round(n * 100) / 100 === 1 ? one : many}`;
}
