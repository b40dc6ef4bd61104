/** Health-test timelines: events placed by "days before AS_OF" (generic builders: `test/helpers/events.ts`). */
import type { CustomerEvent } from '../../src/events/types';
import { daysBefore, ev as event } from '../helpers/events';

/** The "today" of most tests: 2025-06-01T00:00Z. */
export const AS_OF = Date.UTC(2025, 5, 1);

/** An event `daysAgo` days before AS_OF (fractions allowed). */
export function ev(
  customerId: string,
  type: string,
  daysAgo: number,
  value?: number,
  properties?: Record<string, unknown>,
): CustomerEvent {
  return event(customerId, type, daysBefore(AS_OF, daysAgo), value, properties);
}

/** `count` logins spread over `days` distinct days, the newest `startDaysAgo` days ago (0.5-day offsets). */
export function logins(
  customerId: string,
  count: number,
  days: number,
  startDaysAgo = 0,
  userId = 'u1',
): CustomerEvent[] {
  const out: CustomerEvent[] = [];
  for (let i = 0; i < count; i++) {
    const day = startDaysAgo + (i % days);
    out.push(ev(customerId, 'login', day + 0.5 - i * 0.0001, undefined, { userId }));
  }
  return out;
}
