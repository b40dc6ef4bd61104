import { tzOffset } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDay, toEpochMs, ZoneReader } from '../../src/_lib/time';

describe('toEpochMs', () => {
  it.each([
    ['2024-03-10T02:30:00Z', Date.UTC(2024, 2, 10, 2, 30)],
    ['2024-03-10T02:30:00.123-05:00', Date.UTC(2024, 2, 10, 7, 30, 0, 123)],
    ['2024-03-10', Date.UTC(2024, 2, 10)],
    ['2024-03-10T23:00', Date.UTC(2024, 2, 10, 23)],
    ['2024-W10', Date.UTC(2024, 2, 4)], // ISO week date: Monday of week 10, via date-fns parseISO
    ['20240310', Date.UTC(2024, 2, 10)],
  ])('reads %s', (input, expected) => {
    expect(toEpochMs(input)).toBe(expected);
  });
  it('rejects invalid and non-finite instants', () => {
    for (const v of [
      '',
      'nope',
      '2024-13-01',
      Number.NaN,
      Number.POSITIVE_INFINITY,
      new Date('x'),
      null,
      {},
      true,
    ]) {
      expect(toEpochMs(v)).toBeNull();
    }
  });
});

describe('isoDay', () => {
  it('gives the UTC date of an instant, and the number itself outside the range a Date holds', () => {
    expect(isoDay(Date.UTC(2025, 0, 31, 23))).toBe('2025-01-31');
    expect(isoDay(8.64e15)).toBe('+275760-09-13');
    expect(isoDay(-1e20)).toBe('-100000000000000000000');
    expect(isoDay(Number.NaN)).toBe('NaN');
  });
});

describe('ZoneReader offsets (cached per day, per 15 minutes on transition days)', () => {
  const zones = [
    'Europe/London',
    'America/Santiago',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'America/St_Johns',
  ];
  const bucket = (t: number) => Math.floor(t / 900_000) * 900_000;

  it("equal the offset of the instant's 15-minute bucket, for random instants 1970-2040 and around transitions", () => {
    for (const zone of zones) {
      const r = new ZoneReader(zone);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: Date.UTC(2040, 0, 1) }), (t) => {
          expect(r.offset(t)).toBe(tzOffset(zone, new Date(bucket(t))));
        }),
        { numRuns: 300, seed: 7 },
      );
      // Every 15 minutes through 2024, which holds each zone's transitions (Kathmandu has none).
      for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 900_000)
        if (r.offset(t) !== tzOffset(zone, new Date(t)))
          throw new Error(`${zone} at ${new Date(t).toISOString()}`);
    }
  });
});
