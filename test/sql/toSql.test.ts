/**
 * toSql: generated SQL per dialect (snapshots: postgres, bigquery and snowflake are not run against
 * a live server here), option checking, mapping, and the row adapters' input checks.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { churnFeaturesFromRows } from '../../src/sql/churnFeaturesFromRows';
import { SQL_DIALECTS } from '../../src/sql/dialect';
import { signalColumn } from '../../src/sql/healthSignalsSql';
import { rfmSummaryFromRows } from '../../src/sql/rfmSummaryFromRows';
import { scoreHealthFromRows } from '../../src/sql/scoreHealthFromRows';
import { toSql } from '../../src/sql/toSql';

const asOf = '2025-07-01T12:00:00Z';

describe('toSql', () => {
  for (const dialect of SQL_DIALECTS) {
    for (const query of ['healthSignals', 'churnFeatures', 'rfmSummary'] as const) {
      it(`generates ${query} for ${dialect} (snapshot)`, () => {
        const sql = toSql({
          dialect,
          query,
          table: 'analytics.events',
          asOf,
          mapping: {
            customerId: 'account_id',
            timestamp: 'occurred_at',
            userId: 'props.user_id',
            types: { order: 'purchase' },
          },
          ...(query === 'healthSignals'
            ? {
                signals: [
                  'logins',
                  { signal: 'usageSlope', days: 28 },
                  'medianResolutionHours',
                  'mrrChange',
                  'licenseUtilisation',
                ],
              }
            : {}),
          ...(query === 'rfmSummary' ? { calibrationEnd: '2025-01-01' } : {}),
        });
        expect(sql).toMatchSnapshot();
      });
    }
  }

  it('quotes identifiers per dialect and reads the timestamp as epoch ms (UTC)', () => {
    const q = (dialect: (typeof SQL_DIALECTS)[number]) =>
      toSql({ dialect, query: 'rfmSummary', table: 'ev', asOf, mapping: { timestamp: 'ts' } });
    expect(q('duckdb')).toContain('epoch_ms(CAST("ts" AS TIMESTAMPTZ))');
    expect(q('postgres')).toContain('EXTRACT(EPOCH FROM CAST("ts" AS TIMESTAMPTZ))');
    expect(q('bigquery')).toContain('UNIX_MILLIS(CAST(`ts` AS TIMESTAMP))');
    expect(q('snowflake')).toContain('DATE_PART(EPOCH_MILLISECOND, CAST("ts" AS TIMESTAMP_TZ))');
    // asOf 2025-07-01T12:00Z = 1751371200000 ms: events at it count.
    expect(q('duckdb')).toContain('t <= 1751371200000');
  });

  it('escapes quotes in names, types and raw relations', () => {
    const sql = toSql({
      dialect: 'postgres',
      query: 'rfmSummary',
      table: { sql: 'SELECT * FROM x' },
      asOf,
      purchaseType: "o'rder",
      mapping: { customerId: 'we"ird' },
    });
    expect(sql).toContain(`"we""ird"`);
    expect(sql).toContain(`'o''rder'`);
    expect(sql).toContain('(SELECT * FROM x) AS src');
  });

  it('names signal columns by window', () => {
    expect(signalColumn('logins', 30)).toBe('logins');
    expect(signalColumn('logins', 60)).toBe('logins_60d');
    expect(signalColumn('openTickets', null)).toBe('openTickets');
  });

  it('rejects unknown options, dialects, queries, signals and mapping keys with the closest name', () => {
    const base = { dialect: 'duckdb', query: 'rfmSummary', table: 't', asOf } as const;
    expect(() => toSql({ ...base, dialekt: 'x' } as never)).toThrow(
      /unknown option "dialekt"; did you mean "dialect"/,
    );
    expect(() => toSql({ ...base, dialect: 'mysql' } as never)).toThrow(ValidationError);
    expect(() => toSql({ ...base, query: 'nope' } as never)).toThrow(/query/);
    expect(() => toSql({ ...base, query: 'healthSignals', signals: ['logns'] })).toThrow(
      /unknown signal "logns"/,
    );
    expect(() => toSql({ ...base, mapping: { custmerId: 'a' } as never })).toThrow(
      /did you mean "customerId"/,
    );
    expect(() => toSql({ ...base, asOf: 'yesterday' })).toThrow(/asOf/);
    expect(() => toSql({ ...base, calibrationEnd: '2026-01-01' })).toThrow(/calibrationEnd/);
    expect(() => toSql({ ...base, table: '' })).toThrow(/table/);
  });

  it('refuses scorecards the SQL path cannot compute (baseline lag other than the window)', () => {
    const scorecard = {
      id: 'x',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            {
              id: 'm',
              signal: 'activeUsers',
              days: 30,
              weight: 1,
              curve: { type: 'baseline', worst: -50, best: 0, lagDays: 7 },
            },
          ],
        },
      ],
    };
    expect(() =>
      toSql({ dialect: 'duckdb', query: 'healthSignals', table: 't', asOf, scorecard: scorecard as never }),
    ).toThrow(/baseline/);
  });
});

describe('row adapters check their input', () => {
  it('rfmSummaryFromRows reads bigint and string numbers, sorts by id and warns on negative net revenue', () => {
    const s = rfmSummaryFromRows(
      [
        { customerId: 'b', frequency: 2n, recency: '3', T: 4, monetaryValue: -5, totalValue: 1 },
        { customerId: 'a', frequency: 0, recency: 0, T: 1, monetaryValue: 0, totalValue: 9 },
      ],
      { asOf },
    );
    expect(s.customers.map((c) => c.customerId)).toEqual(['a', 'b']);
    expect(Array.from(s.columns.frequency)).toEqual([0, 2]);
    expect(s.customers[1]?.recency).toBe(3);
    expect(s.warnings.map((w) => w.code)).toEqual(['negative_net_revenue']);
    expect(() => rfmSummaryFromRows([{ frequency: 1 }], { asOf })).toThrow(/customerId/);
  });

  it('churnFeaturesFromRows gives empty aggregates to profile-only customers signed up before asOf', () => {
    const t = churnFeaturesFromRows([], {
      asOf,
      profiles: [{ customerId: 'p', signupDate: Date.parse('2025-06-01T12:00:00Z'), seats: 5, plan: 'pro' }],
    });
    expect(t.customerIds).toEqual(['p']);
    expect(t.columns.tenureDays?.[0]).toBe(30);
    expect(t.missing.daysSinceLastEvent?.[0]).toBe(1);
    expect(t.columns.seats?.[0]).toBe(5);
    expect(t.categorical.plan).toEqual(['pro']);
  });

  it('scoreHealthFromRows names the missing column and refuses custom signals', () => {
    expect(() => scoreHealthFromRows([{ customer_id: 'a', __first_at: 0 }], { asOf })).toThrow(/no column/);
    expect(() => scoreHealthFromRows([], { asOf, signals: {} } as never)).toThrow(/unknown option "signals"/);
    const empty = scoreHealthFromRows([], { asOf });
    expect(empty.length).toBe(0);
  });
});
