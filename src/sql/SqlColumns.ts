/**
 * A query result held column by column: numbers in one `Float64Array` per column (NaN = NULL),
 * text in one array per column. A million customers × sixty signal columns is ~0.5 GB of typed
 * arrays outside the JS heap, instead of a million row objects of sixty properties each.
 * @module
 */

/** One column: numbers (NaN = NULL) or text (null = NULL). */
export type SqlColumnValues = Float64Array | (string | null)[];

/**
 * Typed columns of a result set (see the module). The `…FromRows` adapters read it through
 * {@link SqlColumns.rows}: light row views that hold only the table and an index.
 * @example
 * ```ts
 * import { SqlColumns } from 'customer-vitals/sql';
 * const t = new SqlColumns(2, new Map([['customer_id', ['a', 'b']], ['x', Float64Array.of(1, Number.NaN)]]));
 * t.number('x', 1); // => NaN (NULL)
 * ```
 */
export class SqlColumns {
  /** Number of rows. */
  readonly length: number;
  private readonly cols: ReadonlyMap<string, SqlColumnValues>;

  /**
   * @param length number of rows (every column holds at least this many cells).
   * @param columns column name → values.
   */
  constructor(length: number, columns: ReadonlyMap<string, SqlColumnValues>) {
    this.length = length;
    this.cols = columns;
  }

  /** Column names, in result order. */
  names(): string[] {
    return [...this.cols.keys()];
  }

  /** Whether the result has this column. */
  has(name: string): boolean {
    return this.cols.has(name);
  }

  /** The column itself (undefined when absent). */
  column(name: string): SqlColumnValues | undefined {
    return this.cols.get(name);
  }

  /** A cell as a double: NaN for NULL, an absent column, or non-numeric text. */
  number(name: string, row: number): number {
    const c = this.cols.get(name);
    if (c === undefined) return Number.NaN;
    if (c instanceof Float64Array) return c[row] as number;
    const s = c[row];
    if (s === null || s === undefined || s.trim() === '') return Number.NaN;
    const x = Number(s);
    return Number.isFinite(x) ? x : Number.NaN;
  }

  /** A cell as text: null for NULL or an absent column; numbers as their shortest decimal form. */
  string(name: string, row: number): string | null {
    const c = this.cols.get(name);
    if (c === undefined) return null;
    if (c instanceof Float64Array) {
      const x = c[row] as number;
      return Number.isNaN(x) ? null : String(x);
    }
    return c[row] ?? null;
  }

  /**
   * One light view per row (an object holding the table and the row index, ~32 bytes), in row
   * order. The adapters' cell readers (`readNumber`, `readString`, `readBool`, `hasColumn`) read
   * a view's cells from the columns.
   */
  rows(): SqlRowView[] {
    const out: SqlRowView[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = new SqlRowView(this, i);
    return out;
  }
}

/** A row of {@link SqlColumns}: read its cells with `readNumber` / `readString` / `readBool`. */
export class SqlRowView {
  constructor(
    /** The table. */
    readonly table: SqlColumns,
    /** The row index. */
    readonly index: number,
  ) {}
}
