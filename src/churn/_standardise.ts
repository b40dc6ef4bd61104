/**
 * Standardising the linear-mode training matrix in place: each column's center and scale, constant
 * columns zeroed, far-from-zero numeric columns centred. Private to the churn module (`_fitEncoder`).
 * @module
 */
import { columnStats, columnSumSquares, type DesignArena, scaleColumns } from './_design';
import type { EncodedColumn } from './FeatureEncoder';

/**
 * Sets every column's center (mean) and scale (population sd, 1 when constant); divides `x` by the
 * scale (constant columns become zeros; far-from-zero numeric columns are centred first, see
 * {@link CENTRE_RATIO}). Columns holding huge values (|x| > 1e150, up to ±1.8e308) are summed in units of their
 * largest |x|, so the mean and sd stay finite. Returns the number of non-zero cells.
 */
export function standardise(
  x: Float64Array,
  n: number,
  d: number,
  columns: EncodedColumn[],
  arena: DesignArena | null,
  known?: { sum: Float64Array; maxAbs: Float64Array },
): { nnz: number; shift: Float64Array; altered: boolean } {
  // One sweep finds each column's largest |x| and its plain sum (the mean when no column needs a
  // unit); `known` gives both when the caller already has them.
  const unit = new Float64Array(d).fill(1);
  const mean = new Float64Array(d);
  if (known !== undefined)
    for (let j = 0; j < d; j++) {
      mean[j] = known.sum[j] as number;
      unit[j] = Math.max(1, known.maxAbs[j] as number);
    }
  else {
    // Every cell is finite here: the column sums and largest |x| of its cells.
    const count = new Float64Array(d);
    const maxAbs = new Float64Array(d);
    columnStats(x, n, d, count, mean, maxAbs, arena);
    for (let j = 0; j < d; j++) unit[j] = Math.max(1, maxAbs[j] as number);
  }
  let huge = false;
  for (let j = 0; j < d; j++) {
    if ((unit[j] as number) <= 1e150) unit[j] = 1;
    else huge = true;
  }
  if (huge) {
    mean.fill(0);
    for (let i = 0, off = 0; i < n; i++, off += d)
      for (let j = 0; j < d; j++)
        mean[j] = (mean[j] as number) + (x[off + j] as number) / (unit[j] as number);
  }
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / n;
  const sq = new Float64Array(d);
  if (huge)
    for (let i = 0, off = 0; i < n; i++, off += d)
      for (let j = 0; j < d; j++) {
        const dv = (x[off + j] as number) / (unit[j] as number) - (mean[j] as number);
        sq[j] = (sq[j] as number) + dv * dv;
      }
  else columnSumSquares(x, n, d, mean, sq, arena);
  const inv = new Float64Array(d);
  const shift = new Float64Array(d);
  let altered = false;
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt((sq[j] as number) / n) * (unit[j] as number);
    const c = columns[j] as EncodedColumn;
    c.center = (mean[j] as number) * (unit[j] as number);
    // Constant (its spread is rounding noise): scale 1 and a column of zeros, so its coefficient is 0.
    const constant = !(sd > 1e-12 * Math.max(1, Math.abs(c.center)));
    c.scale = constant ? 1 : sd;
    inv[j] = constant ? 0 : 1 / c.scale;
    if (!constant && c.kind === 'value' && Math.abs(c.center) > CENTRE_RATIO * sd) shift[j] = c.center;
    if (constant || shift[j] !== 0) altered = true;
  }
  centreColumns(x, n, d, shift);
  // Multiplying by the reciprocal, as `FeatureEncoder.encode` does (a division per cell costs more).
  return { nnz: scaleColumns(x, n, d, inv, arena), shift, altered };
}

/**
 * A numeric column whose mean is more than this many standard deviations from 0 (an epoch time, a
 * year, an id-like number) is centred in the fitted matrix: uncentred, `x / scale` would be a near
 * constant far from 0, nearly collinear with the intercept (a constant 1.7e12 ± 1e3 made Newton's
 * method fail).
 */
const CENTRE_RATIO = 64;

/** Subtracts `shift[j]` from column j where it is not 0 (the few far-from-zero numeric columns). */
function centreColumns(x: Float64Array, n: number, d: number, shift: Float64Array): void {
  for (let j = 0; j < d; j++) {
    const s = shift[j] as number;
    if (s === 0) continue;
    for (let i = 0, off = j; i < n; i++, off += d) x[off] = (x[off] as number) - s;
  }
}
