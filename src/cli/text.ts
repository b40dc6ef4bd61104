/**
 * Safe text output: control characters, ANSI escapes and bidirectional overrides from user data are
 * shown escaped (`\n`, `\u001b`, `\u202e`) so an id can never draw a fake row, clear the screen or
 * reorder what the terminal shows; CSV cells are quoted and neutralised against formula injection.
 */

// C0 controls (incl. ESC, CR, LF, TAB), DEL, C1 controls, and the Unicode bidi controls
// (LRM/RLM/ALM, LRE..RLO, LRI..PDI) and line/paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Replaces control, ANSI and bidi characters by visible escapes (`\n`, `\u001b`, `\u202e`). */
export function escapeControl(text: string): string {
  return text.replace(
    UNSAFE,
    (c) => NAMED[c] ?? `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  );
}

/** A table cell: text, a number, or empty. */
export type Cell = string | number | null | undefined;

function cellText(c: Cell): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'number') return Number.isFinite(c) ? String(c) : '';
  return escapeControl(c);
}

/** Formats a fixed-width text table (cells escaped, long cells truncated except the last column). */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  bold = false,
): string {
  const cells = [header.map(cellText), ...rows.map((r) => header.map((_, i) => cellText(r[i])))];
  const widths = header.map((_, i) => Math.min(60, Math.max(...cells.map((r) => (r[i] ?? '').length))));
  const fmt = (r: string[]) =>
    r
      .map((c, i) =>
        i === r.length - 1
          ? c
          : c.length > (widths[i] ?? 0)
            ? `${c.slice(0, (widths[i] ?? 1) - 1)}…`
            : c.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const head = fmt(cells[0] as string[]);
  return [
    bold ? `\u001b[1m${head}\u001b[22m` : head,
    fmt(header.map((_, i) => '-'.repeat(widths[i] ?? 0))),
    ...cells.slice(1).map(fmt),
  ].join('\n');
}

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180 quoting). Text starting with `=`, `+`, `-`, `@`, tab or CR is prefixed
 * with `'` so a spreadsheet shows it instead of evaluating it (OWASP "CSV injection"); numbers are
 * written as numbers.
 */
export function csvField(c: Cell): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'number') return Number.isFinite(c) ? String(c) : '';
  const safe = FORMULA_START.test(c) ? `'${c}` : c;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line (without the line break). */
export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvField).join(',');
}

/** Deepest nesting {@link jsonText} keeps when a value cannot be serialised as is. */
const JSON_KEEP_DEPTH = 32;

function prune(v: unknown, depth: number, stack: object[]): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || typeof v !== 'object') return v;
  if (stack.includes(v)) return '[circular]';
  if (depth >= JSON_KEEP_DEPTH) return `[nested deeper than ${JSON_KEEP_DEPTH} levels]`;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return v;
  stack.push(v);
  let out: unknown;
  if (Array.isArray(v)) out = v.map((x) => prune(x, depth + 1, stack));
  else {
    const o: Record<string, unknown> = Object.create(null);
    for (const k of Object.keys(v)) o[k] = prune((v as Record<string, unknown>)[k], depth + 1, stack);
    out = o;
  }
  stack.pop();
  return out;
}

/**
 * `JSON.stringify` that never throws: a value too deep for the engine's stack (a 20,000-deep
 * `properties` cell echoed in a rejected row), circular or holding BigInts is written with nesting
 * cut at 32 levels, cycles as "[circular]" and BigInts as "10n".
 */
export function jsonText(value: unknown, indent?: number): string {
  try {
    return JSON.stringify(value, null, indent) ?? 'null';
  } catch {
    return JSON.stringify(prune(value, 0, []), null, indent) ?? 'null';
  }
}
