import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { evaluateClv } from '../../src/clv/evaluateClv';
import { fitBGNBD } from '../../src/clv/fitBGNBD';
import { rfmSummary } from '../../src/clv/rfmSummary';
import { trackingData } from '../../src/clv/trackingData';
import { cdnowAvailable } from '../helpers/sharedData';
import { loadCdnowSampleEvents, loadCdnowSplit } from './_fhlTenthSample';

const day = (d: number, h = 0) => Date.UTC(2024, 0, 1) + d * 86_400_000 + h * 3_600_000;

describe('trackingData', () => {
  const events = [
    { customerId: 'a', type: 'purchase', timestamp: day(0) },
    { customerId: 'a', type: 'purchase', timestamp: day(9, 5) },
    { customerId: 'a', type: 'purchase', timestamp: day(9, 8) }, // same day: counts once
    { customerId: 'b', type: 'purchase', timestamp: day(3) },
    { customerId: 'a', type: 'purchase', timestamp: day(20) },
    { customerId: 'b', type: 'login', timestamp: day(21) },
    { customerId: 'c', type: 'purchase', timestamp: day(15) }, // first seen in the holdout: not in the summary
    { customerId: 'b', type: 'purchase', timestamp: day(27) }, // exactly at asOf: counts
    { customerId: 'b', type: 'purchase', timestamp: day(28) }, // after asOf: ignored
  ];
  const s = rfmSummary(events, { asOf: day(27), calibrationEnd: day(13), timeUnit: 'weeks' });
  const tr = trackingData(events, s);
  it('gives end-of-day times in weeks from the first purchase day, aligned with the summary', () => {
    expect(s.customers.map((c) => c.customerId)).toEqual(['a', 'b']);
    // a born day 0 → 1/7; b born day 3 → 4/7. Repeat days: a 9 and 20, b 27.
    expect(tr.births).toEqual([1 / 7, 4 / 7]);
    expect(tr.repeatTimes).toEqual([10 / 7, 21 / 7, 28 / 7]);
    // T of the summary = calibrationEnd − birth.
    expect(tr.calibrationEnd).toBe(2);
    expect(s.customers[1]!.T).toBeCloseTo(tr.calibrationEnd - (tr.births[1] as number), 12);
    expect(tr.end).toBe(4);
    expect(tr.origin).toBe(day(0));
  });
  it('needs a summary with a calibrationEnd and rejects unknown options', () => {
    const noHoldout = rfmSummary(events, { asOf: day(27) });
    expect(() => trackingData(events, noHoldout)).toThrow(/made with a calibrationEnd/);
    expect(() => trackingData(events, s, { typ: 'x' } as never)).toThrow(/did you mean "type"/);
    expect(() => trackingData(events, {} as never)).toThrow(ValidationError);
  });
});

describe.skipIf(!cdnowAvailable)('trackingData on the CDNOW sample', () => {
  it('reproduces the hand-built 39/39-week split used for the FHL 2005 checks', () => {
    const events = loadCdnowSampleEvents();
    const s = rfmSummary(events, { asOf: '1998-06-30', calibrationEnd: '1997-09-30', timeUnit: 'weeks' });
    const tr = trackingData(events, s);
    const ref = loadCdnowSplit();
    expect(s.customers).toHaveLength(2357);
    expect([tr.calibrationEnd, tr.end]).toEqual([39, 78]);
    expect(tr.repeatTimes).toHaveLength(ref.repeatTimes.length);
    const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);
    expect(sum(tr.births)).toBeCloseTo(sum(ref.births), 9);
    expect(sum(tr.repeatTimes)).toBeCloseTo(sum(ref.repeatTimes), 9);
    const ev = evaluateClv(fitBGNBD(s.columns, { standardErrors: false }), {
      calibration: s.columns,
      holdout: {
        frequency: s.customers.map((c) => c.holdoutFrequency as number),
        duration: s.holdoutDuration,
      },
      tracking: tr,
    });
    expect(ev.tracking![38]!.cumulativeActual).toBe(2457);
    expect(ev.tracking![77]!.cumulativeActual).toBe(4339);
    expect(ev.purchases.actualTotal).toBe(1882);
  });
});
