/**
 * Reading numbers written as text (CSV cells, spreadsheet exports): plain by default, or with a
 * declared decimal comma, thousands separators and currency symbols.
 * @module
 */

/**
 * How numeric text is written, `mapping.numberFormat`. Without it only plain numbers are read
 * (`1234.56`, `-3`, `.5`, `1e3`); text such as `1.234,56`, `1,234.56` or `€12` is then rejected with
 * a message naming the format it appears to use.
 * @example
 * ```ts no-run
 * { decimal: ',', thousands: '.', currency: true } // reads "€1.234,56" as 1234.56
 * ```
 */
export interface NumberFormat {
  /** Decimal separator. @default '.' */
  decimal?: '.' | ',';
  /** Thousands separator (groups of exactly three digits), or '' for none. @default '' */
  thousands?: ',' | '.' | ' ' | "'" | '';
  /** Strip a currency symbol or ISO code (`€`, `$`, `£`, `¥`, `₹`, `EUR`, `USD`, ...) around the number. @default false */
  currency?: boolean;
}

const PLAIN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const CURRENCY = /^(?:[$€£¥₹₩₽₺]|[A-Z]{3}(?=[\s\d+-]))\s*|\s*(?:[$€£¥₹₩₽₺]|(?<=[\d\s])[A-Z]{3})$/g;
const MAX_NUMBER_TEXT = 64;

/** Reads numeric text under one {@link NumberFormat}; `read` returns NaN and sets `problem` on failure. */
export class NumberReader {
  problem = '';
  private readonly plain: boolean;
  private readonly decimal: string;
  private readonly thousands: string;
  private readonly currency: boolean;
  private readonly grouped: RegExp | null;
  private readonly ungrouped: RegExp;
  constructor(readonly format: NumberFormat | undefined) {
    this.plain = format === undefined;
    this.decimal = format?.decimal ?? '.';
    this.thousands = format?.thousands ?? '';
    this.currency = format?.currency ?? false;
    const esc = (c: string) => c.replace(/[.\\^$|?*+()[\]{}]/g, '\\$&');
    const d = esc(this.decimal);
    this.ungrouped = new RegExp(`^[+-]?(?:\\d+(?:${d}\\d*)?|${d}\\d+)$`);
    this.grouped =
      this.thousands === ''
        ? null
        : new RegExp(`^[+-]?\\d{1,3}(?:${esc(this.thousands)}\\d{3})+(?:${d}\\d*)?$`);
  }

  /** The number written in `text`, or NaN (then `problem` says why). */
  read(text: string): number {
    this.problem = '';
    if (this.plain) {
      const n = plainNumber(text);
      if (!Number.isNaN(n)) return n;
    }
    let s = text.trim();
    if (s.length === 0) return Number.NaN;
    if (s.length > MAX_NUMBER_TEXT) {
      this.problem = `"${s.slice(0, 20)}…" is too long to be a number`;
      return Number.NaN;
    }
    if (this.plain) {
      if (PLAIN.test(s)) return Number(s);
      this.problem = `"${s}" is not a plain number${hintFor(s)}`;
      return Number.NaN;
    }
    let negative = false;
    if (this.currency) {
      if (s.startsWith('(') && s.endsWith(')')) {
        negative = true;
        s = s.slice(1, -1).trim();
      }
      s = s.replace(CURRENCY, '').trim();
      if (s.startsWith('-') && /^-\s*[$€£¥₹]/.test(s)) s = `-${s.slice(1).replace(CURRENCY, '').trim()}`;
    }
    let normal: string | null = null;
    if (this.ungrouped.test(s)) normal = s;
    else if (this.grouped?.test(s)) normal = s.split(this.thousands).join('');
    if (normal === null) {
      if (PLAIN.test(s) && this.decimal === ',' && s.includes('.'))
        this.problem = `"${text.trim()}" has a "." but numberFormat.decimal is ",": is "." a thousands separator? set numberFormat.thousands`;
      else
        this.problem = `"${text.trim()}" does not match numberFormat (decimal "${this.decimal}"${this.thousands === '' ? ', no thousands separator' : `, thousands "${this.thousands}"`}${this.currency ? ', currency symbols allowed' : ''})`;
      return Number.NaN;
    }
    if (this.decimal === ',') normal = normal.replace(',', '.');
    const n = Number(normal);
    if (!Number.isFinite(n)) {
      this.problem = `"${text.trim()}" is not a finite number`;
      return Number.NaN;
    }
    return negative ? -n : n;
  }
}

/** Powers of ten exactly representable as doubles (10^0 .. 10^22). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A plain decimal number (`-12`, `3.5`, `.5`, `1e3`) read character by character; NaN for anything
 * else (the caller then uses the general path and explains). Up to 15 significant digits without an
 * exponent, the value is computed while scanning: the digits as an integer m (< 2^53, exact)
 * divided by 10^k (exact), one correctly rounded division, hence the same double as `Number(s)`
 * (Clinger's fast path); otherwise `Number(s)`.
 */
function plainNumber(s: string): number {
  const n = s.length;
  if (n === 0 || n > MAX_NUMBER_TEXT) return Number.NaN;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) i++;
  let digits = 0;
  let m = 0;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    m = m * 10 + (c - 48);
    digits++;
  }
  let fraction = 0;
  if (i < n && s.charCodeAt(i) === 46) {
    for (i++; i < n; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      m = m * 10 + (c - 48);
      digits++;
      fraction++;
    }
  }
  if (digits === 0) return Number.NaN;
  if (i === n && digits <= 15) {
    const v = fraction === 0 ? m : m / (POW10[fraction] as number);
    return s.charCodeAt(0) === 45 ? -v : v;
  }
  if (i < n && (s.charCodeAt(i) | 32) === 101) {
    i++;
    if (i < n && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
    let e = 0;
    for (; i < n; i++, e++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
    }
    if (e === 0) return Number.NaN;
  }
  return i === n ? Number(s) : Number.NaN;
}

/** Hint for text that is not a plain number: which numberFormat it appears to use. */
function hintFor(s: string): string {
  if (/^[+-]?\d{1,3}(?:\.\d{3})+,\d+$/.test(s))
    return `; it looks like a decimal comma with "." thousands: set mapping.numberFormat to { "decimal": ",", "thousands": "." }`;
  if (/^[+-]?\d{1,3}(?:,\d{3})+\.\d+$/.test(s))
    return `; it looks like "," thousands: set mapping.numberFormat to { "decimal": ".", "thousands": "," }`;
  if (/^[+-]?\d{1,3}(?:,\d{3})+$/.test(s))
    return `; "," is ambiguous here (thousands separator or decimal comma): set mapping.numberFormat`;
  if (/^[+-]?\d+,\d+$/.test(s))
    return `; it looks like a decimal comma: set mapping.numberFormat to { "decimal": "," }`;
  if (/[$€£¥₹]/.test(s) || /\b[A-Z]{3}\b/.test(s))
    return `; it carries a currency: set mapping.numberFormat to { "currency": true }`;
  return '';
}
