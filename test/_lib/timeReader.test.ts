import { describe, expect, it } from 'vitest';
import { guessDateFormat, type TimestampOptions, TimestampReader, toEpochMs } from '../../src/_lib/time';

/** Reads one value; returns epoch ms, or the issue code and message. */
function read(value: unknown, options: TimestampOptions = {}): number | string {
  const r = new TimestampReader(options);
  const t = r.read(value);
  return Number.isNaN(t) ? `${r.issue.code}: ${r.issue.message}` : t;
}

// The table of the ingestion issue: every expected instant computed by hand with Date.UTC.
describe('timestamps: the table', () => {
  it.each<[string, unknown, TimestampOptions, number]>([
    ['ISO with Z', '2024-03-10T02:30:00Z', {}, Date.UTC(2024, 2, 10, 2, 30)],
    // +05:30 means 05:30 ahead of UTC: 02:30 local is 21:00 UTC the day before.
    ['ISO with +05:30', '2024-03-10T02:30:00+05:30', {}, Date.UTC(2024, 2, 9, 21, 0)],
    ['ISO with -05:00 and ms', '2024-03-10T02:30:00.123-05:00', {}, Date.UTC(2024, 2, 10, 7, 30, 0, 123)],
    ['ISO without offset = UTC', '2024-03-10T02:30:00', {}, Date.UTC(2024, 2, 10, 2, 30)],
    ['ISO date and space time', '2011-03-10 16:16:00', {}, Date.UTC(2011, 2, 10, 16, 16)],
    ['M/d/yyyy H:mm', '12/1/2010 8:26', { format: 'M/d/yyyy H:mm' }, Date.UTC(2010, 11, 1, 8, 26)],
    ['d.M.yyyy', '31.12.2020', { format: 'd.M.yyyy' }, Date.UTC(2020, 11, 31)],
    ['yyyyMMdd', '20201231', { format: 'yyyyMMdd' }, Date.UTC(2020, 11, 31)],
    ['h:mm a', '3/5/2021 1:05 PM', { format: 'M/d/yyyy h:mm a' }, Date.UTC(2021, 2, 5, 13, 5)],
    // 1735787045 s = 2025-01-02T03:04:05Z (20090 days × 86400 + 11045 s).
    ['epoch seconds', 1735787045, { unit: 's' }, Date.UTC(2025, 0, 2, 3, 4, 5)],
    ['epoch seconds as text', '1735787045', { unit: 's' }, Date.UTC(2025, 0, 2, 3, 4, 5)],
    ['epoch ms', 1735787045000, {}, Date.UTC(2025, 0, 2, 3, 4, 5)],
    ['epoch us', 1735787045000000, { unit: 'us' }, Date.UTC(2025, 0, 2, 3, 4, 5)],
    // Excel serial 45000 = 2023-03-15 (25569 = 1970-01-01; 45000 - 25569 = 19431 days).
    ['Excel serial', 45000, { unit: 'excel' }, Date.UTC(2023, 2, 15)],
    // New York is UTC-5 in winter (EST) and UTC-4 in summer (EDT); the clocks jump 02:00 -> 03:00 on 2024-03-10.
    [
      'New York before the gap',
      '2024-03-10T01:30:00',
      { timeZone: 'America/New_York' },
      Date.UTC(2024, 2, 10, 6, 30),
    ],
    [
      'New York after the gap',
      '2024-03-10T03:30:00',
      { timeZone: 'America/New_York' },
      Date.UTC(2024, 2, 10, 7, 30),
    ],
    // Repeated hour (clocks back on 2024-11-03 at 02:00 EDT): the earlier instant (EDT, UTC-4).
    [
      'New York repeated hour',
      '2024-11-03T01:30:00',
      { timeZone: 'America/New_York' },
      Date.UTC(2024, 10, 3, 5, 30),
    ],
    [
      'London summer time',
      '2011-06-16 14:45:00',
      { format: 'yyyy-MM-dd HH:mm:ss', timeZone: 'Europe/London' },
      Date.UTC(2011, 5, 16, 13, 45),
    ],
    [
      'offset wins over timeZone',
      '2024-03-10T02:30:00Z',
      { timeZone: 'America/New_York' },
      Date.UTC(2024, 2, 10, 2, 30),
    ],
    ['1969 with the window off', '1969-07-20', { window: null }, Date.UTC(1969, 6, 20)],
    ['2200 with the window off', '2200-01-01', { window: null }, Date.UTC(2200, 0, 1)],
    [
      'a wider window',
      '1969-07-20',
      { window: { from: '1900-01-01', to: '2000-01-01' } },
      Date.UTC(1969, 6, 20),
    ],
  ])('%s: %s', (_name, value, options, expected) => {
    expect(read(value, options)).toBe(expected);
  });

  it.each<[string, unknown, TimestampOptions, string]>([
    [
      'Feb 30 (ISO date)',
      '2025-02-30',
      {},
      'invalid_date: timestamp "2025-02-30" is not a valid date: February 2025 has 28 days, not 30',
    ],
    ['Feb 30 (ISO with Z, once rolled over to 2 March)', '2025-02-30T00:00:00Z', {}, 'invalid_date'],
    ['Feb 30 (format)', '2/30/2025 0:00', { format: 'M/d/yyyy H:mm' }, 'February 2025 has 28 days, not 30'],
    ['Feb 29 in a common year', '2023-02-29', {}, 'February 2023 has 28 days, not 29'],
    ['Apr 31', '2025-04-31', {}, 'April 2025 has 30 days, not 31'],
    ['Apr 31 (d.M.yyyy)', '31.4.2025', { format: 'd.M.yyyy' }, 'April 2025 has 30 days'],
    ['month 13', '2025-13-01', {}, 'month 13 does not exist'],
    [
      'DST gap in New York',
      '2024-03-10T02:30:00',
      { timeZone: 'America/New_York' },
      'does not exist in America/New_York: the clocks skipped it',
    ],
    [
      '1969',
      '1969-07-20',
      {},
      'implausible_timestamp: timestamp "1969-07-20" is 1969-07-20T00:00:00.000Z, outside the plausible window 1990-01-01..2100-01-01',
    ],
    ['2200', '2200-01-01', {}, 'outside the plausible window 1990-01-01..2100-01-01'],
    [
      'epoch seconds given as ms',
      1735787045,
      {},
      'it looks like epoch seconds (2025-01-02T03:04:05.000Z): set mapping.timestamp.unit to "s"',
    ],
    ['epoch us given as ms', 1735787045000000, {}, 'it looks like epoch microseconds'],
    ['epoch ns given as ms', 1735787045000000000, {}, 'it looks like epoch nanoseconds'],
    ['Excel serial given as ms', 45000, {}, 'it looks like an Excel serial date'],
    ['yyyyMMdd number', 20201231, {}, 'it looks like a yyyyMMdd date'],
    ['1e20', 1e20, {}, 'beyond the range of dates'],
    ['Number.MAX_VALUE', Number.MAX_VALUE, { window: null }, 'beyond the range of dates'],
    ['Infinity', Number.POSITIVE_INFINITY, {}, 'not_finite'],
    [
      'US date without a format',
      '12/13/2010 8:26',
      {},
      'is not ISO 8601; the column looks like M/d/yyyy H:mm',
    ],
    ['not matching the format', '2010-12-01', { format: 'M/d/yyyy' }, 'does not match the format "M/d/yyyy"'],
    ['a word', 'yesterday', {}, 'is not ISO 8601'],
    ['a 1 MB string', 'x'.repeat(1_000_000), {}, 'is too long to be a date'],
    ['a boolean', true, {}, 'invalid_type'],
    ['missing', undefined, {}, 'timestamp is required'],
  ])('rejects %s', (_name, value, options, expected) => {
    const got = read(value, options);
    expect(typeof got).toBe('string');
    expect(got).toContain(expected);
    expect((got as string).length).toBeLessThan(400);
  });
});

describe('timestamps: day-first vs month-first', () => {
  it('is decided from the whole column when one value settles it', () => {
    // 13 can only be a day: "12/13/2010" is month-first.
    expect(guessDateFormat(['12/1/2010 8:26', '1/2/2011 9:00', '12/13/2010 10:26']).format).toBe(
      'M/d/yyyy H:mm',
    );
    expect(guessDateFormat(['1.2.2011', '25.12.2010']).format).toBe('d.M.yyyy');
  });
  it('says it is not settled, never guesses, when no value has a number above 12', () => {
    const g = guessDateFormat(['1/2/2011', '3/4/2011']);
    expect(g.format).toBeNull();
    expect(g.candidates).toEqual(['M/d/yyyy', 'd/M/yyyy']);
    expect(g.evidence).toContain('both M/d/yyyy and d/M/yyyy fit');
    const r = new TimestampReader({});
    r.read('1/2/2011');
    expect(r.issue.message).toContain('does not settle day-first vs month-first');
  });
  it('reports a column mixing both orders', () => {
    expect(guessDateFormat(['13/1/2011', '1/13/2011']).evidence).toContain('mix day-first');
  });
  it('names epoch units of numeric columns', () => {
    expect(guessDateFormat(['1735787045', '1735787999']).unit).toBe('s');
    expect(guessDateFormat(['20201231']).format).toBe('yyyyMMdd');
  });
});

describe('toEpochMs stays calendar-strict and in range', () => {
  it('rejects Feb 30 on the offset path (Date.parse would roll it to 2 March)', () => {
    expect(Date.parse('2025-02-30T00:00:00Z')).toBe(Date.UTC(2025, 2, 2));
    expect(toEpochMs('2025-02-30T00:00:00Z')).toBeNull();
    expect(toEpochMs('2025-04-31')).toBeNull();
  });
  it('rejects instants a Date cannot hold', () => {
    expect(toEpochMs(1e20)).toBeNull();
    expect(toEpochMs(Number.MAX_VALUE)).toBeNull();
    expect(toEpochMs(8.64e15)).toBe(8.64e15);
  });
  it('reads years 0-99 as those years, not 1900-1999', () => {
    expect(new Date(toEpochMs('0050-06-01') as number).getUTCFullYear()).toBe(50);
  });
});
