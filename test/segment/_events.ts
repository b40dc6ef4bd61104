/** Hand-built events for the segment tests (timestamps epoch ms, UTC). */
import type { CustomerEvent } from '../../src/events/types';

export const DAY = 86_400_000;

export function at(iso: string): number {
  return Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
}

export function ev(
  customerId: string,
  type: string,
  iso: string | number,
  value?: number,
  properties?: Record<string, unknown>,
): CustomerEvent {
  const timestamp = typeof iso === 'number' ? iso : at(iso);
  const e: {
    customerId: string;
    type: string;
    timestamp: number;
    value?: number;
    properties?: Record<string, unknown>;
  } = {
    customerId,
    type,
    timestamp,
  };
  if (value !== undefined) e.value = value;
  if (properties !== undefined) e.properties = Object.assign(Object.create(null), properties);
  return e;
}
