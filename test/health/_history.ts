/** Shared history fixtures of the healthHistory, explainChange and healthAlerts tests. */
import type { CustomerEvent } from '../../src/events/types';
import type { Scorecard } from '../../src/health/scorecardSchema';
import { ev } from './_helpers';

/** Logins 0→30 per 30 days (weight 3) and open tickets (weight 1). */
export const card: Scorecard = {
  id: 'h',
  groups: [
    {
      id: 'g',
      weight: 1,
      measures: [
        {
          id: 'logins',
          label: 'Logins',
          signal: 'logins',
          days: 30,
          weight: 3,
          curve: { type: 'linear', worst: 0, best: 30 },
        },
        {
          id: 'tickets',
          label: 'Open tickets',
          signal: 'openTickets',
          weight: 1,
          curve: { type: 'step', thresholds: [1], points: [100, 0] },
        },
      ],
    },
  ],
};

// One login a day from 120.5 to 30.5 days ago, none since; a ticket opened 10 days ago.
export const events: CustomerEvent[] = [];
for (let d = 30; d <= 120; d++) events.push(ev('a', 'login', d + 0.5));
events.push(ev('a', 'ticket_opened', 10, undefined, { ticketId: 't1' }));
