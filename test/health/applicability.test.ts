/**
 * What applies to a data set: absent sources, history shorter than a comparison, coverage bands,
 * the purchase scorecard, and the asOf rule.
 */
import { describe, expect, it } from 'vitest';
import { parseEvents } from '../../src/events/parseEvents';
import type { CustomerEvent } from '../../src/events/types';
import { defaultScorecard } from '../../src/health/defaultScorecard';
import { healthHistory } from '../../src/health/healthHistory';
import type { Scorecard } from '../../src/health/scorecardSchema';
import { scoreHealth } from '../../src/health/scoreHealth';
import { generateSaasEvents } from '../../src/sample/index';
import { DAY } from '../helpers/events';
import { AS_OF, ev, logins } from './_helpers';

/** logins (linear 0 → 20) and open tickets (0 → 100, 1–2 → 70, 3+ → 30), equal weights. */
const card: Scorecard = {
  id: 'two',
  groups: [
    {
      id: 'g',
      weight: 1,
      measures: [
        {
          id: 'logins',
          signal: 'logins',
          days: 30,
          weight: 1,
          curve: { type: 'linear', worst: 0, best: 20 },
        },
        {
          id: 'tickets',
          signal: 'openTickets',
          weight: 1,
          curve: { type: 'step', thresholds: [1, 3], points: [100, 70, 30] },
        },
      ],
    },
  ],
};

describe('sources absent from the whole data set', () => {
  it('does not apply support measures when nobody has a ticket, and says so once per run', () => {
    const events = [...logins('a', 10, 5, 1), ...logins('b', 4, 4, 1), ...logins('c', 20, 10, 1)];
    const scores = scoreHealth(events, { asOf: AS_OF, scorecard: card });
    // a: 10 logins → 50; tickets not applicable → score 50 (not (50 + 100) / 2 = 75).
    expect(scores[0]?.score).toBeCloseTo(50, 12);
    expect(scores[0]?.measures[1]).toMatchObject({
      status: 'not_applicable',
      score: null,
      effectiveWeight: 0,
    });
    expect(scores[0]?.coverage).toBe(1);
    const absent = scores.warnings.filter((w) => w.code === 'source_absent');
    expect(absent).toHaveLength(1); // three customers, one warning
    expect(absent[0]?.message).toMatch(/no support tickets.*Open tickets not applied/);
  });

  it('counts a customer without tickets as a good sign when the data set has tickets', () => {
    const events = [
      ...logins('a', 10, 5, 1),
      ...logins('b', 10, 5, 1),
      ev('b', 'ticket_opened', 2, undefined, { ticketId: 't1' }),
    ];
    const [a, b] = scoreHealth(events, { asOf: AS_OF, scorecard: card });
    // a: (50 + 100) / 2 = 75; b: (50 + 70) / 2 = 60.
    expect(a?.score).toBeCloseTo(75, 12);
    expect(a?.measures[1]?.status).toBe('data');
    expect(b?.score).toBeCloseTo(60, 12);
    expect(a && scoreHealth(events, { asOf: AS_OF, scorecard: card }).warnings).toEqual([]);
  });
});

describe('coverage threshold', () => {
  it('gives the band insufficient_data below minCoverage (default 0.5), keeping the number', () => {
    // Nominal weights: logins 0.5, tickets 0.5. Customer b has no login at all (activity null)
    // but the data set has logins: coverage 0.5 (tickets only) → not below 0.5 → a colour.
    const three: Scorecard = {
      id: 'three',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            ...(card.groups[0]?.measures ?? []),
            { id: 'nps', signal: 'npsLatest', weight: 2, curve: { type: 'linear', worst: 0, best: 10 } },
          ],
        },
      ],
    };
    const events = [
      ...logins('a', 10, 5, 1),
      ev('a', 'nps_response', 3, 8),
      ev('b', 'ticket_opened', 2, undefined, { ticketId: 't1' }),
    ];
    const scores = scoreHealth(events, { asOf: AS_OF, scorecard: three });
    const b = scores[1];
    // b: only tickets (nominal 1/4) has data → coverage 0.25 < 0.5.
    expect(b?.coverage).toBeCloseTo(0.25, 12);
    expect(b?.score).toBeCloseTo(70, 12);
    expect(b?.band).toBe('insufficient_data');
    expect(b?.explanation.summary).toMatch(
      /^Score 70 \(insufficient_data\): only 25% of the applicable scorecard has data/,
    );
    expect(scores[0]?.band).not.toBe('insufficient_data');
    expect(scores.warnings.map((w) => w.code)).toContain('insufficient_data');
    // minCoverage: 0 turns it off; 0.2 keeps b's colour.
    expect(scoreHealth(events, { asOf: AS_OF, scorecard: three, minCoverage: 0.2 })[1]?.band).toBe('neutral');
    expect(() => scoreHealth(events, { asOf: AS_OF, minCoverage: 2 })).toThrow(/minCoverage/);
  });
});

describe('history a measure compares against', () => {
  it('leaves a 30-vs-30-day login trend out on 50 days of data, and applies it on 61', () => {
    const trend: Scorecard = {
      id: 't',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            {
              id: 'lt',
              signal: 'logins',
              days: 30,
              weight: 1,
              curve: { type: 'baseline', worst: -80, best: 0 },
            },
            { id: 'l', signal: 'logins', days: 30, weight: 1, curve: { type: 'linear', worst: 0, best: 20 } },
          ],
        },
      ],
    };
    const short = [...logins('a', 20, 20, 31), ...logins('a', 5, 5, 1)]; // first event 50.5 days ago
    const [s] = scoreHealth(short, { asOf: AS_OF, scorecard: trend });
    expect(s?.measures[0]?.status).toBe('not_applicable');
    expect(s?.score).toBeCloseTo(25, 12); // only logins 5 → 25
    const w = scoreHealth(short, { asOf: AS_OF, scorecard: trend }).warnings;
    expect(w).toEqual([
      {
        code: 'short_history',
        message:
          'Logins compares against 60 days of history, but the data starts 50 days before the score date: not applied (weight re-spread).',
      },
    ]);
    const [l] = scoreHealth([...short, ev('a', 'login', 61)], { asOf: AS_OF, scorecard: trend });
    expect(l?.measures[0]?.status).toBe('data');
  });

  it('on a 30-day log (the sample generator cut to 30 days) no sentence claims a 63-day baseline', () => {
    const sample = generateSaasEvents({ customers: 120, seed: 5 });
    const parsed = parseEvents(sample.events).events;
    let end = Number.NEGATIVE_INFINITY;
    for (const e of parsed) if (e.timestamp > end) end = e.timestamp;
    const log = parsed.filter((e) => e.timestamp > end - 30 * DAY && e.timestamp <= end);
    const scores = scoreHealth(log, { asOf: end, scorecard: defaultScorecard });
    expect(scores.length).toBeGreaterThan(50);
    const sentences = scores.flatMap((s) => [
      s.explanation.summary,
      ...s.explanation.negative.map((d) => d.sentence),
      ...s.explanation.positive.map((d) => d.sentence),
    ]);
    expect(sentences.filter((x) => /63-day|63 days|over the last 30 days|90 days/.test(x))).toEqual([]);
    const byId = new Map(scores[0]?.measures.map((m) => [m.id, m.status]));
    expect(byId.get('usageVsBaseline')).toBe('not_applicable');
    expect(byId.get('loginTrend')).toBe('not_applicable');
    expect(byId.get('usageSlope')).toBe('not_applicable');
    expect(scores.warnings.filter((w) => w.code === 'short_history').map((w) => w.message)).toContain(
      'Usage vs own baseline compares against 84 days of history, but the data starts 29 days before the score date: not applied (weight re-spread).',
    );
  });
});

describe('the asOf rule', () => {
  it('counts an event stamped exactly at asOf and ignores one a millisecond later', () => {
    const one: Scorecard = {
      id: 'o',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            { id: 'l', signal: 'logins', days: 30, weight: 1, curve: { type: 'linear', worst: 0, best: 10 } },
          ],
        },
      ],
    };
    const events: CustomerEvent[] = [ev('a', 'login', 3), ev('a', 'login', 0), ev('a', 'login', -1 / DAY)];
    const [a] = scoreHealth(events, { asOf: AS_OF, scorecard: one });
    expect(a?.measures[0]?.value).toBe(2); // 3 days ago and exactly at asOf; +1 ms is ignored
    // healthHistory: same rule at every point.
    const [h] = healthHistory(events, { from: AS_OF, to: AS_OF, scorecard: one });
    expect(h?.points[0]?.result.measures[0]?.value).toBe(2);
    // An event exactly 30 days before asOf is outside (asOf − 30 d, asOf].
    const [b] = scoreHealth([ev('b', 'login', 30), ev('b', 'login', 29.999)], {
      asOf: AS_OF,
      scorecard: one,
    });
    expect(b?.measures[0]?.value).toBe(1);
  });
});
