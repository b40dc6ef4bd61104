import { describe, expect, it } from 'vitest';
import { RFM_STANDARD_SEGMENTS } from '../../src/segment/parseRfmSegmentMap';
import { rfmSegments } from '../../src/segment/rfmSegments';
import { ev } from '../helpers/events';
import { cdnowAvailable, loadCdnowMaster } from '../helpers/sharedData';

describe.skipIf(!cdnowAvailable)('rfmSegments on CDNOW (23,570 real customers)', () => {
  it('puts every customer in exactly one standard segment, with shares summing to 1', () => {
    const events = loadCdnowMaster().map((t) => ev(t.customerId, 'purchase', t.date, t.dollars));
    const res = rfmSegments(events, { asOf: '1998-07-01' });
    expect(res.n).toBe(23_570);
    expect(new Set(res.customers.map((c) => c.customerId)).size).toBe(23_570);
    expect(res.segments.map((s) => s.id)).toEqual(RFM_STANDARD_SEGMENTS.segments.map((s) => s.id));
    expect(res.segments.reduce((a, s) => a + s.share, 0)).toBeCloseTo(1);
    // About half of CDNOW customers bought once: they all tie, at the score of their block's middle
    // position (mid-ranks), 1 + floor(5 · share / 2), not at the worst score.
    const oneTimers = res.customers.filter((c) => c.frequency === 1);
    const share = oneTimers.length / res.n;
    expect(share).toBeGreaterThan(0.45);
    expect(new Set(oneTimers.map((c) => c.f))).toEqual(new Set([1 + Math.floor((5 * share) / 2)]));
    // Champions hold far more than their share of revenue.
    const champions = res.segments.find((s) => s.id === 'champions');
    expect((champions?.monetaryShare ?? 0) / (champions?.share ?? 1)).toBeGreaterThan(2);
  });
});
