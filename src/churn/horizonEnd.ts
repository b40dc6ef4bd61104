import { addMonths } from 'date-fns/addMonths';
import { MS_PER_DAY, MS_PER_WEEK, UTC } from '../_lib/time';

/** A prediction horizon: a number of days, or `{ days?, weeks?, months? }` (months are calendar months, UTC). */
export type ChurnHorizon = number | { days?: number; weeks?: number; months?: number };

/**
 * @internal Helper of the churn module.
 * End instant of a horizon starting at `from` (epoch ms), or `null` when the horizon is not a
 * positive, finite length. Months use date-fns `addMonths` in UTC (Jan 31 + 1 month = Feb 28/29).
 */
export function horizonEnd(from: number, horizon: ChurnHorizon): number | null {
  let end: number;
  if (typeof horizon === 'number') end = from + horizon * MS_PER_DAY;
  else if (horizon !== null && typeof horizon === 'object') {
    const { days = 0, weeks = 0, months = 0 } = horizon;
    if (![days, weeks, months].every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0))
      return null;
    if (!Number.isInteger(months)) return null;
    const base = months > 0 ? addMonths(from, months, { in: UTC }).getTime() : from;
    end = base + weeks * MS_PER_WEEK + days * MS_PER_DAY;
  } else return null;
  return Number.isFinite(end) && end > from ? end : null;
}

/** @internal Start instant of a horizon that ends at `to` (the same length going back). */
export function horizonStart(to: number, horizon: ChurnHorizon): number | null {
  if (typeof horizon === 'number')
    return horizon > 0 && Number.isFinite(horizon) ? to - horizon * MS_PER_DAY : null;
  if (horizon === null || typeof horizon !== 'object') return null;
  const { days = 0, weeks = 0, months = 0 } = horizon;
  if (![days, weeks, months].every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) return null;
  if (!Number.isInteger(months) || days + weeks + months <= 0) return null;
  const base = months > 0 ? addMonths(to, -months, { in: UTC }).getTime() : to;
  return base - weeks * MS_PER_WEEK - days * MS_PER_DAY;
}
