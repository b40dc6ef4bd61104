/** The MRR scenario shared by the metrics tests (generic builders: `test/helpers/events.ts`). */
import type { CustomerEvent } from '../../src/events/types';
import { ev } from '../helpers/events';

// The shared scenario (monthly, UTC):
// A: starts 01-10 at 100; upgrade to 150 on 02-05 and downgrade to 120 on 02-20; cancels 03-15; back 04-10 at 80.
// B: started 2023-12-01 at 50 (before the range); cancels 2024-01-31 23:59:59.999.
// C: starts 02-29 23:00 at 30.33; changes to 40.10 exactly on the 03-01 boundary.
// D: starts exactly at 04-01 00:00 at 10.
// E: starts 01-05 at 20 and cancels 01-25 (nets to nothing in January); returns 03-03 at 25.
export const scenario: CustomerEvent[] = [
  ev('A', 'subscription_started', '2024-01-10', 100),
  ev('A', 'subscription_changed', '2024-02-05', 150),
  ev('A', 'subscription_changed', '2024-02-20', 120),
  ev('A', 'subscription_cancelled', '2024-03-15'),
  ev('A', 'subscription_started', '2024-04-10', 80),
  ev('B', 'subscription_started', '2023-12-01', 50),
  ev('B', 'subscription_renewed', '2024-01-01'), // no value: MRR unchanged
  ev('B', 'subscription_cancelled', '2024-01-31T23:59:59.999Z'),
  ev('C', 'subscription_started', '2024-02-29T23:00:00Z', 30.33),
  ev('C', 'subscription_changed', '2024-03-01T00:00:00Z', 40.1),
  ev('D', 'subscription_started', '2024-04-01', 10),
  ev('E', 'subscription_cancelled', '2024-01-25'),
  ev('E', 'subscription_started', '2024-01-05', 20),
  ev('E', 'subscription_started', '2024-03-03', 25),
  ev('E', 'login', '2024-03-04'),
];
