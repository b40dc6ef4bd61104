import { ValidationError, type ValidationIssue } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import { toEpochMs } from '../_lib/time';

/** An event as the modules of this group read it (parsed `CustomerEvent`s or raw `EventInput`s). */
export interface EventLike {
  customerId: string;
  type: string;
  timestamp: number | string | Date;
  value?: number;
  properties?: Readonly<Record<string, unknown>>;
}

/**
 * Checks the fields every event must have (record, non-empty `customerId` and `type`, valid
 * `timestamp`) and returns the timestamps as epoch ms. Every bad row is located (first 100).
 */
export function eventTimes(fn: string, events: unknown): Float64Array {
  if (!Array.isArray(events))
    throw new ValidationError(
      fn,
      [{ path: [], code: 'not_an_array', message: 'events must be an array' }],
      'events',
    );
  const out = new Float64Array(events.length);
  const issues: ValidationIssue[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as unknown;
    if (!isPlainObject(e)) {
      issues.push({ index: i, path: [], code: 'not_plain_object', message: 'an event must be a record' });
    } else {
      if (typeof e.customerId !== 'string' || e.customerId.length === 0)
        issues.push({
          index: i,
          path: ['customerId'],
          code: 'required',
          message: 'customerId must be a non-empty string',
        });
      if (typeof e.type !== 'string' || e.type.length === 0)
        issues.push({
          index: i,
          path: ['type'],
          code: 'required',
          message: 'type must be a non-empty string',
        });
      const t = toEpochMs(e.timestamp);
      if (t === null)
        issues.push({
          index: i,
          path: ['timestamp'],
          code: 'invalid_timestamp',
          message: 'timestamp is not a valid date',
        });
      else out[i] = t;
      if (e.properties !== undefined && !isPlainObject(e.properties))
        issues.push({
          index: i,
          path: ['properties'],
          code: 'not_plain_object',
          message: 'properties must be a record',
        });
    }
    if (issues.length >= 100) break;
  }
  if (issues.length > 0) throw new ValidationError(fn, issues, 'events');
  return out;
}
