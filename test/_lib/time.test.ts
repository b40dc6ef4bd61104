import { describe, expect, it } from 'vitest';
import { isoDay, toEpochMs } from '../../src/_lib/time';

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
