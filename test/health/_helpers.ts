/** Hand-built events for the health tests (timestamps in epoch ms, UTC). */
import type { CustomerEvent, CustomerProfile } from '../../src/events/types';

export const DAY = 86_400_000;
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
  const e: {
    customerId: string;
    type: string;
    timestamp: number;
    value?: number;
    properties?: Record<string, unknown>;
  } = {
    customerId,
    type,
    timestamp: AS_OF - Math.round(daysAgo * DAY),
  };
  if (value !== undefined) e.value = value;
  if (properties !== undefined) {
    const p = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(properties)) p[k] = properties[k];
    e.properties = p;
  }
  return e;
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

export function profile(p: Partial<CustomerProfile> & { customerId: string }): CustomerProfile {
  return p;
}
