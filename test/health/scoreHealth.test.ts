import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import type { CustomerEvent } from '../../src/events/types';
import { defaultScorecard } from '../../src/health/defaultScorecard';
import type { Scorecard, ScorecardSet } from '../../src/health/scorecardSchema';
import { scoreHealth } from '../../src/health/scoreHealth';
import { DAY, shuffled } from '../helpers/events';
import { AS_OF, ev, logins } from './_helpers';

/** usage (3): logins 0→20 (2), activeDays 0→10 (1); sentiment (1): NPS step (1). */
function simple(missing: 'skip' | 'neutral' | 'poor' = 'skip'): Scorecard {
  return {
    id: 'simple',
    groups: [
      {
        id: 'usage',
        weight: 3,
        measures: [
          {
            id: 'logins',
            signal: 'logins',
            days: 30,
            weight: 2,
            curve: { type: 'linear', worst: 0, best: 20 },
          },
          {
            id: 'activeDays',
            signal: 'activeDays',
            days: 30,
            weight: 1,
            curve: { type: 'linear', worst: 0, best: 10 },
          },
        ],
      },
      {
        id: 'sentiment',
        weight: 1,
        measures: [
          {
            id: 'nps',
            signal: 'npsLatest',
            weight: 1,
            missing,
            curve: { type: 'step', thresholds: [7, 9], points: [0, 50, 100] },
          },
        ],
      },
    ],
  };
}

// Customer a: 12 logins on 4 distinct days, NPS 9. Customer b: the same logins, no NPS.
const base: CustomerEvent[] = [
  ...logins('a', 12, 4, 1),
  ev('a', 'nps_response', 3, 9),
  ...logins('b', 12, 4, 1),
];

describe('scoreHealth', () => {
  it('scores with exact weighted contributions (hand-computed)', () => {
    const [a] = scoreHealth(base, { asOf: AS_OF, scorecard: simple() });
    // logins 12/20 → 60, activeDays 4/10 → 40, NPS 9 → 100.
    // Global weights: usage 3/4 → logins 0.75 × 2/3 = 0.5, activeDays 0.25; NPS 0.25.
    // 0.5 × 60 + 0.25 × 40 + 0.25 × 100 = 65
    expect(a?.score).toBeCloseTo(65, 10);
    expect(a?.band).toBe('neutral');
    expect(a?.coverage).toBeCloseTo(1, 12);
    const m = a?.measures ?? [];
    expect(m.map((x) => x.contribution)).toEqual([
      expect.closeTo(30, 10),
      expect.closeTo(10, 10),
      expect.closeTo(25, 10),
    ]);
    expect(m.reduce((s, x) => s + x.contribution, 0)).toBeCloseTo(a?.score ?? 0, 9);
    expect(a?.groups.map((g) => [g.id, g.score])).toEqual([
      ['usage', expect.closeTo(160 / 3, 10)], // (30 + 10) / 0.75
      ['sentiment', 100],
    ]);
  });

  it('skips a measure without data and re-spreads its weight (default policy), reporting coverage', () => {
    const [, b] = scoreHealth(base, { asOf: AS_OF, scorecard: simple() });
    // Sentiment has no data: usage takes all the weight: 2/3 × 60 + 1/3 × 40 = 53.33
    expect(b?.score).toBeCloseTo(160 / 3, 10);
    expect(b?.coverage).toBeCloseTo(0.75, 12);
    expect(b?.lowCoverage).toBe(false);
    expect(b?.measures[2]).toMatchObject({
      status: 'missing',
      score: null,
      effectiveWeight: 0,
      contribution: 0,
    });
    expect(b?.groups[1]?.score).toBeNull();
  });

  it('counts a missing measure as neutral or poor when asked', () => {
    const [, neutral] = scoreHealth(base, { asOf: AS_OF, scorecard: simple('neutral') });
    // 0.5 × 60 + 0.25 × 40 + 0.25 × 50 = 52.5; coverage still 0.75 (imputed is not data)
    expect(neutral?.score).toBeCloseTo(52.5, 10);
    expect(neutral?.coverage).toBeCloseTo(0.75, 12);
    expect(neutral?.measures[2]?.status).toBe('neutral');
    const [, poor] = scoreHealth(base, { asOf: AS_OF, scorecard: simple('poor') });
    expect(poor?.score).toBeCloseTo(40, 10); // 30 + 10 + 0
    expect(poor?.explanation.negative[0]?.sentence).toBe('Nps latest: no data (counted as poor)');
  });

  it('flags low coverage and gives a null score with a reason when nothing has data', () => {
    const card: Scorecard = { ...simple(), lowCoverageBelow: 0.8 };
    const [, b] = scoreHealth(base, { asOf: AS_OF, scorecard: card });
    expect(b?.lowCoverage).toBe(true);
    const onlyNps: Scorecard = { id: 'n', groups: [simple().groups[1] as Scorecard['groups'][number]] };
    const [, nb] = scoreHealth(base, { asOf: AS_OF, scorecard: onlyNps });
    expect(nb?.score).toBeNull();
    expect(nb?.band).toBeNull();
    expect(nb?.reason).toMatch(/no measure/);
  });

  it('re-spreads through nested groups', () => {
    const card: Scorecard = {
      id: 'nested',
      groups: [
        {
          id: 'product',
          weight: 1,
          measures: [
            { id: 'nps', signal: 'npsLatest', weight: 2, curve: { type: 'linear', worst: 0, best: 10 } },
          ],
          groups: [
            {
              id: 'usage',
              weight: 1,
              measures: [
                { id: 'logins', signal: 'logins', weight: 1, curve: { type: 'linear', worst: 0, best: 20 } },
              ],
            },
            {
              id: 'satisfaction',
              weight: 1,
              measures: [
                {
                  id: 'csat',
                  signal: 'csatAverage',
                  weight: 1,
                  curve: { type: 'linear', worst: 1, best: 5 },
                },
              ],
            },
          ],
        },
      ],
    };
    const [a] = scoreHealth(base, { asOf: AS_OF, scorecard: card });
    // CSAT missing → satisfaction skipped; product children: nps 2, usage 1 → 2/3 × 90 + 1/3 × 60 = 80
    expect(a?.score).toBeCloseTo(80, 10);
    expect(a?.measures.map((m) => m.effectiveWeight)).toEqual([
      expect.closeTo(2 / 3, 12),
      expect.closeTo(1 / 3, 12),
      0,
    ]);
    expect(a?.groups.map((g) => [g.id, g.parent])).toEqual([
      ['product', null],
      ['usage', 'product'],
      ['satisfaction', 'product'],
    ]);
    // Nobody in the data set answered a CSAT survey: the measure does not apply, so it is left out
    // of coverage (nominal: nps 0.5, logins 0.25 applicable, both with data → 1).
    expect(a?.measures[2]?.status).toBe('not_applicable');
    expect(a?.coverage).toBeCloseTo(1, 12);
    // Once another customer has a CSAT answer, a's missing CSAT is a fact about a: 0.75 / 1.
    const withCsat = [...base, ev('z', 'csat_response', 5, 4)];
    const [a2] = scoreHealth(withCsat, { asOf: AS_OF, scorecard: card });
    expect(a2?.measures[2]?.status).toBe('missing');
    expect(a2?.score).toBeCloseTo(80, 10);
    expect(a2?.coverage).toBeCloseTo(0.75, 12);
  });

  it('applies a manual override until it expires, keeping the computed score', () => {
    const overrides = [
      { customerId: 'a', score: 20, reason: 'Executive sponsor left', expiresAt: AS_OF + DAY },
    ];
    const [a] = scoreHealth(base, { asOf: AS_OF, scorecard: simple(), overrides });
    expect(a?.score).toBe(20);
    expect(a?.band).toBe('at risk');
    expect(a?.computedScore).toBeCloseTo(65, 10);
    expect(a?.override).toMatchObject({
      reason: 'Executive sponsor left',
      computedScore: expect.closeTo(65, 10),
    });
    expect(a?.explanation.summary).toContain('set manually: Executive sponsor left');
    const [later] = scoreHealth(base, { asOf: AS_OF + 2 * DAY, scorecard: simple(), overrides });
    expect(later?.override).toBeNull();
    expect(later?.score).toBe(later?.computedScore);
  });

  it('chooses scorecards by profile conditions with a default fallback', () => {
    const onboarding: Scorecard = {
      id: 'onboarding',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            { id: 'd', signal: 'activeDays', weight: 1, curve: { type: 'linear', worst: 0, best: 8 } },
          ],
        },
      ],
    };
    const enterprise: Scorecard = { ...simple(), id: 'enterprise' };
    const set: ScorecardSet = {
      rules: [
        { when: { tenureDays: { max: 60 } }, scorecard: onboarding },
        { when: { plan: ['enterprise'] }, scorecard: enterprise },
      ],
      default: simple(),
    };
    // c has no profile: its tenure counts from its first event (100 days ago), so no rule matches.
    const events = [...base, ...logins('c', 2, 2, 100)];
    const profiles = [
      { customerId: 'a', signupDate: AS_OF - 30 * DAY, plan: 'enterprise' },
      { customerId: 'b', signupDate: AS_OF - 300 * DAY, plan: 'enterprise' },
    ];
    const out = scoreHealth(events, { asOf: AS_OF, scorecard: set, profiles });
    expect(out.map((r) => [r.customerId, r.scorecard])).toEqual([
      ['a', 'onboarding'], // first matching rule wins
      ['b', 'enterprise'],
      ['c', 'simple'], // default fallback
    ]);
    expect(out[0]?.score).toBeCloseTo(50, 10); // 4 active days / 8
  });

  it('uses a manual CSM rating as a measure', () => {
    const card: Scorecard = {
      id: 'csm',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            { id: 'csm', signal: 'csmRating', weight: 1, curve: { type: 'linear', worst: 1, best: 5 } },
          ],
        },
      ],
    };
    const [a] = scoreHealth([ev('a', 'csm_rating', 2, 4), ev('a', 'csm_rating', 9, 1)], {
      asOf: AS_OF,
      scorecard: card,
    });
    expect(a?.score).toBeCloseTo(75, 10); // latest rating 4 → (4 − 1) / 4
    expect(a?.explanation.positive[0]?.sentence).toBe('CSM rating 4');
  });

  it('ranks percentile measures within the segment with mid-ranks for ties', () => {
    const card: Scorecard = {
      id: 'p',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [{ id: 'l', signal: 'logins', weight: 1, curve: { type: 'percentile' } }],
        },
      ],
    };
    const events = [...logins('x', 5, 5, 1), ...logins('y', 10, 5, 1), ...logins('z', 10, 5, 1)];
    const out = scoreHealth(events, { asOf: AS_OF, scorecard: card });
    // x: (0 + ½) / 3 = 16.7; y, z tie: (1 + 2/2) / 3 = 66.7
    expect(out.map((r) => r.score)).toEqual([
      expect.closeTo(50 / 3, 9),
      expect.closeTo(200 / 3, 9),
      expect.closeTo(200 / 3, 9),
    ]);
    // The data reaches back 5 days only: the sentence names those days, not "the last 30 days".
    expect(out[0]?.explanation.negative[0]?.sentence).toBe(
      '5 logins in the 5 days of data (17th percentile among peers)',
    );
    const bySegment: Scorecard = {
      id: 'p',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            { id: 'l', signal: 'logins', weight: 1, curve: { type: 'percentile', segmentBy: 'plan' } },
          ],
        },
      ],
    };
    const profiles = [
      { customerId: 'x', plan: 'starter' },
      { customerId: 'y', plan: 'pro' },
      { customerId: 'z', plan: 'pro' },
    ];
    const seg = scoreHealth(events, { asOf: AS_OF, scorecard: bySegment, profiles });
    expect(seg.map((r) => r.score)).toEqual([50, 50, 50]); // alone in its segment / tied
  });

  it('explains drivers with sentences carrying the real numbers', () => {
    const card: Scorecard = {
      id: 'trend',
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
            {
              id: 'tickets',
              signal: 'openTickets',
              weight: 1,
              curve: { type: 'step', thresholds: [1, 3], points: [100, 70, 30] },
            },
            {
              id: 'fp',
              signal: 'failedPayments',
              weight: 1,
              curve: { type: 'step', thresholds: [1], points: [100, 0] },
            },
          ],
        },
      ],
    };
    const events = [
      ...logins('a', 50, 25, 31), // 50 logins 31–55 days ago
      ...logins('a', 19, 19, 1), // 19 logins in the last 30 days
      ev('a', 'ticket_opened', 4, undefined, { ticketId: 't1' }),
      ev('a', 'ticket_opened', 3, undefined, { ticketId: 't2' }),
      ev('a', 'ticket_opened', 2, undefined, { ticketId: 't3' }),
      ev('a', 'invoice_paid', 20, 100),
      ev('a', 'invoice_paid', 70, 100), // the data reaches back 70 days: the 60-day comparison is covered
    ];
    const [a] = scoreHealth(events, { asOf: AS_OF, scorecard: card });
    // Logins 50 → 19 = −62% → (−62 + 80) / 80 × 100 = 22.5; tickets 3 → 30; no failed payment → 100.
    expect(a?.measures[0]).toMatchObject({ value: 19, previous: 50 });
    expect(a?.score).toBeCloseTo((22.5 + 30 + 100) / 3, 9);
    expect(a?.explanation.negative.map((d) => d.sentence)).toEqual([
      'Logins fell 62% (50 → 19) over the last 30 days',
      '3 open support tickets',
    ]);
    expect(a?.explanation.positive.map((d) => d.sentence)).toEqual([
      'No failed payments in the 70 days of data', // the data reaches back 70 of the 90 days
    ]);
    // impact = effective weight × (score − 50)
    expect(a?.explanation.negative[0]?.impact).toBeCloseTo((22.5 - 50) / 3, 9);
    expect(a?.explanation.summary).toBe(
      'Score 50.8 (neutral), pulled down most by: Logins fell 62% (50 → 19) over the last 30 days.',
    );
  });

  it('supports custom signals passed next to the JSON scorecard', () => {
    const card: Scorecard = {
      id: 'c',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            { id: 'api', signal: 'apiCalls', weight: 1, curve: { type: 'linear', worst: 0, best: 4 } },
          ],
        },
      ],
    };
    const events = [
      ev('a', 'api_call', 1),
      ev('a', 'api_call', 2),
      ev('a', 'api_call', 40),
      ev('b', 'login', 1),
    ];
    const signals = {
      apiCalls: {
        compute: (t: { ofType(type: string): readonly CustomerEvent[] }, ctx: { asOf: number }) => {
          const n = t
            .ofType('api_call')
            .filter((e) => e.timestamp <= ctx.asOf && e.timestamp > ctx.asOf - 30 * DAY).length;
          return n === 0 ? null : n;
        },
        describe: (v: number) => `${v} API calls in the last 30 days`,
      },
    };
    const [a, b] = scoreHealth(events, { asOf: AS_OF, scorecard: card, signals });
    expect(a?.score).toBeCloseTo(50, 12);
    expect(b?.score).toBeNull();
    expect([...(a?.explanation.positive ?? []), ...(a?.explanation.negative ?? [])]).toEqual([]); // exactly neutral
    const [a2] = scoreHealth(events, { asOf: AS_OF - 35 * DAY, scorecard: card, signals });
    expect(a2?.score).toBeCloseTo(25, 12);
    expect(a2?.explanation.negative[0]?.sentence).toBe('1 API calls in the last 30 days');
  });

  it('rejects invalid scorecards with located issues', () => {
    const bad = {
      id: 'bad',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            { id: 'm', signal: 'logns', weight: 1, curve: { type: 'linear', worst: 0, best: 1 } },
            {
              id: 'm',
              signal: 'logins',
              weight: 1,
              curve: { type: 'step', thresholds: [3, 1], points: [1, 2] },
            },
          ],
        },
      ],
    };
    let err: unknown;
    try {
      scoreHealth(base, { asOf: AS_OF, scorecard: bad as unknown as Scorecard });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const issues = (err as ValidationError).issues.map((i) => `${i.path.join('.')}:${i.code}`);
    expect(issues).toEqual([
      'groups.0.measures.0.signal:unknown_signal',
      'groups.0.measures.1.id:duplicate_id',
      'groups.0.measures.1.curve.points:invalid_length',
      'groups.0.measures.1.curve.thresholds:not_ascending',
    ]);
    expect((err as Error).message).toMatch(
      /^scoreHealth: invalid scorecard: field "groups\.0\.measures\.0\.signal": unknown signal "logns"/,
    );
    expect(() => scoreHealth(base, { asOf: 'not a date' })).toThrow(
      /scoreHealth: option "asOf" is not a valid date/,
    );
  });

  it('leaves out customers whose first event is after asOf', () => {
    const out = scoreHealth([...base, ev('late', 'login', -3)], { asOf: AS_OF, scorecard: simple() });
    expect(out.map((r) => r.customerId)).toEqual(['a', 'b']);
  });

  it('serialises results with measures and groups', () => {
    const [a] = scoreHealth(base, { asOf: AS_OF, scorecard: simple() });
    const json = JSON.parse(JSON.stringify(a));
    expect(json.measures).toHaveLength(3);
    expect(json.groups).toHaveLength(2);
    expect(json.score).toBeCloseTo(65, 10);
  });
});

// ---- properties -------------------------------------------------------------------------------

const TYPES = [
  'login',
  'session',
  'feature_used',
  'ticket_opened',
  'ticket_resolved',
  'nps_response',
  'csat_response',
  'ces_response',
  'payment_failed',
  'invoice_paid',
  'subscription_started',
  'subscription_changed',
  'seats_changed',
] as const;

const eventArb = fc
  .record({
    c: fc.constantFrom('a', 'b', 'c', 'd'),
    type: fc.constantFrom(...TYPES),
    day: fc.double({ min: -5, max: 200, noNaN: true }),
    v: fc.integer({ min: 1, max: 10 }),
    u: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ c, type, day, v, u }) =>
    ev(
      c,
      type,
      day,
      type === 'csat_response' ? Math.min(v, 5) : type === 'ces_response' ? Math.min(v, 7) : v,
      {
        userId: `u${u}`,
        feature: `f${v % 4}`,
        ticketId: `t${v % 3}`,
        priority: v > 7 ? 'high' : 'low',
      },
    ),
  );

const noPercentile: Scorecard = {
  ...defaultScorecard,
  id: 'no-percentile',
  groups: defaultScorecard.groups.map((g) => ({
    ...g,
    measures: (g.measures ?? []).filter((m) => m.curve.type !== 'percentile'),
  })),
};

describe('scoreHealth properties', () => {
  it('keeps scores in [0, 100] with contributions summing to the score (1e-9)', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 60 }), (events) => {
        for (const r of scoreHealth(events, { asOf: AS_OF })) {
          if (r.score === null) continue;
          expect(r.score).toBeGreaterThanOrEqual(0);
          expect(r.score).toBeLessThanOrEqual(100);
          const sum = r.measures.reduce((s, m) => s + m.contribution, 0);
          expect(Math.abs(sum - r.score)).toBeLessThan(1e-9);
          const w = r.measures.reduce((s, m) => s + m.effectiveWeight, 0);
          expect(w).toBeCloseTo(1, 12);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('does not depend on input order', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 50 }), fc.integer(), (events, seed) => {
        const reordered = shuffled(events, seed);
        const a = JSON.stringify(scoreHealth(events, { asOf: AS_OF }));
        const b = JSON.stringify(scoreHealth(reordered, { asOf: AS_OF }));
        expect(b).toBe(a);
      }),
      { numRuns: 40 },
    );
  });

  it('scores a customer independently of other customers when no measure is a percentile', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 50 }), (events) => {
        const all = scoreHealth(events, { asOf: AS_OF, scorecard: noPercentile });
        for (const r of all) {
          // Others matter only through the data set (its sources and its first event): a witness
          // customer carrying every other event keeps those and nothing else.
          const witness = events
            .filter((e) => e.customerId !== r.customerId)
            .map((e) => ({ ...e, customerId: `${r.customerId}~witness` }));
          const [alone] = scoreHealth([...events.filter((e) => e.customerId === r.customerId), ...witness], {
            asOf: AS_OF,
            scorecard: noPercentile,
          }).filter((x) => x.customerId === r.customerId);
          expect(JSON.stringify(alone)).toBe(JSON.stringify(r));
        }
      }),
      { numRuns: 30 },
    );
  });
});
