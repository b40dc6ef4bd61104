import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { RFM_STANDARD_SEGMENTS, type ScoreRange } from '../../src/segment/parseRfmSegmentMap';
import type { RfmResult, RfmScore } from '../../src/segment/rfmScores';
import { rfmSegments } from '../../src/segment/rfmSegments';
import { DAY, ev } from '../helpers/events';

const inRange = (r: ScoreRange | undefined, v: number) =>
  r === undefined || (typeof r === 'number' ? r === v : v >= r[0] && v <= r[1]);

/** An RfmResult holding one customer per (R, F, M) cell of a 5-bin grid. */
function allCells(): RfmResult {
  const customers: RfmScore[] = [];
  for (let r = 1; r <= 5; r++)
    for (let f = 1; f <= 5; f++)
      for (let m = 1; m <= 5; m++)
        customers.push({
          customerId: `${r}${f}${m}`,
          recencyDays: 10 * (6 - r),
          frequency: f,
          monetary: 10 * m,
          r,
          f,
          m,
          code: `${r}${f}${m}`,
        });
  return {
    customers,
    n: customers.length,
    bins: 5,
    asOf: 0,
    cutoffs: { recency: [], frequency: [], monetary: [] },
    reason: null,
    warnings: [],
  };
}

describe('rfmSegments', () => {
  it('the standard table is a partition: each of the 125 (R, F, M) cells matches exactly one segment', () => {
    for (const c of allCells().customers) {
      const fm = Math.ceil((c.f + c.m) / 2);
      const matching = RFM_STANDARD_SEGMENTS.segments.filter((s) =>
        s.match.some(
          (rule) =>
            inRange(rule.r, c.r) && inRange(rule.f, c.f) && inRange(rule.m, c.m) && inRange(rule.fm, fm),
        ),
      );
      expect(
        matching.map((s) => s.id),
        `cell ${c.code}`,
      ).toHaveLength(1);
    }
    expect(RFM_STANDARD_SEGMENTS.segments).toHaveLength(11);
  });

  it("names the classic cells: 555 Champions, 511 New Customers, 155 Can't Lose Them, 111 Lost", () => {
    const res = rfmSegments(allCells());
    const seg = (code: string) => res.customers.find((c) => c.code === code)?.segment;
    expect(seg('555')).toBe('Champions');
    expect(seg('511')).toBe('New Customers');
    expect(seg('411')).toBe('Promising');
    expect(seg('155')).toBe("Can't Lose Them");
    expect(seg('133')).toBe('At Risk');
    expect(seg('111')).toBe('Lost');
    expect(seg('211')).toBe('Hibernating');
    expect(seg('333')).toBe('Need Attention');
    // FM = ⌈(4 + 5) / 2⌉ = 5 → R 4, FM 5 is Champions; R 4, FM ⌈(4+3)/2⌉ = 4 is Loyal.
    expect(seg('445')).toBe('Champions');
    expect(seg('443')).toBe('Loyal');
    expect(res.customers.find((c) => c.code === '443')?.reason).toMatch(
      /→ FM=4 → Loyal \(R 4, FM 4 or R 3, FM 4–5\)$/,
    );
    expect(res.segments.reduce((s, x) => s + x.count, 0)).toBe(125);
    expect(res.segments.map((s) => s.id)).not.toContain('other');
  });

  it('property: every customer of any purchase history lands in exactly one named segment', () => {
    const names = new Set(RFM_STANDARD_SEGMENTS.segments.map((s) => s.name));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            c: fc.integer({ min: 0, max: 40 }),
            d: fc.integer({ min: 0, max: 700 }),
            v: fc.double({ min: 0, max: 1000, noNaN: true }),
          }),
          { minLength: 1, maxLength: 150 },
        ),
        (rows) => {
          const asOf = Date.UTC(2025, 5, 1);
          const res = rfmSegments(
            rows.map((r) => ev(`c${r.c}`, 'purchase', asOf - r.d * DAY, r.v)),
            { asOf },
          );
          const ids = res.customers.map((c) => c.customerId);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids.length).toBe(new Set(rows.map((r) => `c${r.c}`)).size);
          for (const c of res.customers) expect(names.has(c.segment)).toBe(true);
          expect(res.segments.reduce((s, x) => s + x.count, 0)).toBe(res.n);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('accepts a custom segment map as data, with first-match order and a fallback', () => {
    const map = JSON.parse(
      '{"segments":[{"id":"vip","name":"VIP","match":[{"m":5}]},{"id":"fresh","name":"Fresh","match":[{"r":[4,5]}]}],"fallback":{"id":"rest","name":"Everyone else"}}',
    );
    const res = rfmSegments(allCells(), { segments: map });
    const seg = (code: string) => res.customers.find((c) => c.code === code)?.segment;
    expect(seg('555')).toBe('VIP'); // matches both; the first wins
    expect(seg('511')).toBe('Fresh');
    expect(seg('111')).toBe('Everyone else');
    // 25 cells have M = 5; of the other 100, R ∈ {4, 5} holds for 40.
    expect(res.segments.map((s) => [s.id, s.count])).toEqual([
      ['vip', 25],
      ['fresh', 40],
      ['rest', 60],
    ]);
  });

  it('rejects an invalid custom map with a located message', () => {
    const bad = { segments: [{ id: 'x', name: 'X', match: [{ r: [5, 2] }] }] };
    expect(() => rfmSegments(allCells(), { segments: bad })).toThrow(ValidationError);
    expect(() => rfmSegments(allCells(), { segments: bad })).toThrow(/field "segments\.0\.match\.0\.r"/);
    const dup = {
      segments: [
        { id: 'x', name: 'X', match: [{}] },
        { id: 'x', name: 'Y', match: [{}] },
      ],
    };
    expect(() => rfmSegments(allCells(), { segments: dup })).toThrow(/duplicate segment id "x"/);
  });

  it('needs bins = 5 for the standard map', () => {
    const events = [ev('a', 'purchase', '2025-01-01', 10), ev('b', 'purchase', '2025-01-02', 20)];
    expect(() => rfmSegments(events, { asOf: '2025-02-01', bins: 3 })).toThrow(
      /standard segments need bins = 5/,
    );
  });

  it('reports revenue share per segment and an empty result with a reason', () => {
    const res = rfmSegments(allCells());
    const total = res.segments.reduce((s, x) => s + x.monetary, 0);
    expect(total).toBeCloseTo(125 * 30); // mean monetary 10 · 3 over 125 cells
    expect(res.segments.reduce((s, x) => s + (x.monetaryShare ?? 0), 0)).toBeCloseTo(1);
    const empty = rfmSegments([], { asOf: '2025-01-01' });
    expect(empty).toMatchObject({ n: 0, customers: [], reason: 'no purchases on or before asOf' });
    expect(empty.segments.every((s) => s.count === 0 && s.monetaryShare === null)).toBe(true);
  });

  it('ten customers who bought once yesterday for $50 are not Lost, and the reason says why they tie (#18)', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ev(`c${9 - i}`, 'purchase', '2025-01-30', 50));
    const res = rfmSegments(ten, { asOf: '2025-01-31' });
    // mid-ranks: all 333 → R 3, FM 3 → Need Attention
    expect(new Set(res.customers.map((c) => c.segment))).toEqual(new Set(['Need Attention']));
    expect(res.customers[0]?.reason).toBe(
      'R=3 (last purchase 1 day ago, like every customer), F=3 (1 purchase, like every customer), ' +
        'M=3 (50.00, like every customer) → FM=3 → Need Attention (R 3, FM 3)',
    );
    // money in sentences through Intl with the currency option (#11)
    const eur = rfmSegments(ten, { asOf: '2025-01-31', currency: 'EUR' });
    expect(eur.customers[0]?.reason).toContain('M=3 (€50.00, like every customer)');
    expect(eur.warnings[2]?.message).toContain('same monetary value (€50.00)');
    expect(() => rfmSegments(ten, { asOf: '2025-01-31', currency: 'EURO' })).toThrow(/option "currency"/);
    expect(res.warnings.map((w) => w.code)).toEqual(['no_spread', 'no_spread', 'no_spread']);
    // ordered by id although the input ran c9 … c0
    expect(res.customers.map((c) => c.customerId)).toEqual(Array.from({ length: 10 }, (_, i) => `c${i}`));
    expect(Object.keys(res.customers[0] as object)).not.toContain('ctx');
  });

  it('rejects unknown options and scoring events without asOf', () => {
    expect(() => rfmSegments([], { asOf: '2025-01-31', segmnts: {} } as never)).toThrow(
      /rfmSegments: .*unknown option "segmnts"; did you mean "segments"\?/,
    );
    expect(() => rfmSegments([ev('a', 'purchase', '2025-01-01', 5)])).toThrow(
      /rfmSegments: option "asOf" is required/,
    );
  });
});
