/**
 * The PostgreSQL SQL against a live server, when one is given: set CV_PG="host:port" (a socket
 * directory or host; user postgres, trust auth) and have `psql` on the PATH. Skipped otherwise
 * (visibly). Run once by hand against PostgreSQL 15.18 (Debian 12): every signal, score, churn
 * feature and RFM column equal to the JS path.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { churnFeatures } from '../../src/churn/churnFeatures';
import { rfmSummary } from '../../src/clv/rfmSummary';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { parseEvents } from '../../src/events/parseEvents';
import { computeSignals } from '../../src/health/computeSignals';
import { scoreHealth } from '../../src/health/scoreHealth';
import { generateRetailTransactions, generateSaasEvents } from '../../src/sample';
import { churnFeaturesFromRows } from '../../src/sql/churnFeaturesFromRows';
import { rfmSummaryFromRows } from '../../src/sql/rfmSummaryFromRows';
import { scoreHealthFromRows } from '../../src/sql/scoreHealthFromRows';
import { toSql } from '../../src/sql/toSql';
import { flatten } from './_duck';

const target = process.env.CV_PG;
if (target === undefined) console.warn('[sql] CV_PG is not set: the live PostgreSQL test is SKIPPED.');

function psql(args: string[], input?: string): string {
  const [host, port] = (target as string).split(':');
  return execFileSync(
    'psql',
    ['-h', host as string, '-p', port ?? '5432', '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', ...args],
    input === undefined ? { maxBuffer: 1 << 28 } : { input, maxBuffer: 1 << 28 },
  ).toString();
}

function run(sql: string): Record<string, unknown>[] {
  return parse(psql(['--csv', '-q'], `${sql};`), {
    columns: true,
    cast: (v: string, ctx: { column: string | number }) => {
      if (v === '') return null;
      if (v === 't' || v === 'f') return v === 't';
      if (ctx.column === 'customer_id' || ctx.column === 'customerId' || ctx.column === 'plan') return v;
      const n = Number(v);
      return Number.isNaN(n) ? v : n;
    },
  }) as Record<string, unknown>[];
}

const close = (a: unknown, b: unknown): boolean =>
  a === null || a === undefined
    ? b === null || b === undefined
    : typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));

describe.skipIf(target === undefined)('toSql on a live PostgreSQL equals the JS path', () => {
  it('health signals and scores, churn features and RFM summaries', () => {
    const saas = generateSaasEvents({ customers: 20, seed: 11 });
    const retail = generateRetailTransactions({ customers: 120, seed: 4 });
    const ev = [
      ...parseEvents(saas.events).events,
      ...parseEvents(retail.events).events.map((e, i) =>
        i % 11 === 0 ? { ...e, type: 'refund', value: (e.value ?? 0) / 3 } : e,
      ),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'cv-pg-'));
    const cell = (v: unknown): string =>
      v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`;
    const file = join(dir, 'events.csv');
    writeFileSync(
      file,
      `${ev
        .map((e) => {
          const f = flatten(e);
          const row = [
            f.customer_id,
            f.type,
            new Date(e.timestamp).toISOString(),
            f.value,
            f.event_id,
            f.user_id,
          ];
          return [...row, f.feature, f.ticket_id, f.priority, f.plan].map(cell).join(',');
        })
        .join('\n')}\n`,
    );
    psql([
      '-q',
      '-c',
      'DROP TABLE IF EXISTS cv_events; CREATE TABLE cv_events (customer_id text, type text, "timestamp" timestamptz, value double precision, event_id text, user_id text, feature text, ticket_id text, priority text, plan text);',
    ]);
    psql(['-q', '-c', `\\copy cv_events FROM '${file}' WITH (FORMAT csv)`]);
    rmSync(dir, { recursive: true, force: true });
    const asOf = Date.UTC(2025, 6, 1, 12);
    const h = run(toSql({ dialect: 'postgres', query: 'healthSignals', table: 'cv_events', asOf }));
    const tl = groupByCustomer(ev);
    const diffs: string[] = [];
    for (const r of h) {
      const js = computeSignals(tl.get(r.customer_id as string), { asOf });
      for (const k of Object.keys(js)) if (!close(js[k], r[k])) diffs.push(`${r.customer_id}.${k}`);
    }
    const s1 = scoreHealth(ev, { asOf });
    const s2 = scoreHealthFromRows(h, { asOf });
    s1.forEach((x, i) => {
      if (!close(x.score, s2[i]?.score)) diffs.push(`score ${x.customerId}`);
    });
    const cj = churnFeatures(ev, { asOf });
    const cs = churnFeaturesFromRows(
      run(toSql({ dialect: 'postgres', query: 'churnFeatures', table: 'cv_events', asOf })),
      {
        asOf,
      },
    );
    for (const n of cj.names)
      cj.customerIds.forEach((id, i) => {
        if (
          (cj.missing[n] as Uint8Array)[i] !== (cs.missing[n] as Uint8Array)[i] ||
          !close(cj.columns[n]?.[i], cs.columns[n]?.[i])
        )
          diffs.push(`churn ${id}.${n}`);
      });
    for (const calibrationEnd of [undefined, Date.UTC(2024, 10, 1)]) {
      const rows = run(
        toSql({ dialect: 'postgres', query: 'rfmSummary', table: 'cv_events', asOf, calibrationEnd }),
      );
      const rj = rfmSummary(ev, { asOf, calibrationEnd });
      const rs = rfmSummaryFromRows(rows, { asOf, calibrationEnd });
      rj.customers.forEach((x, i) => {
        for (const [k, v] of Object.entries(x))
          if (k !== 'customerId' && !close(v, (rs.customers[i] as unknown as Record<string, unknown>)?.[k]))
            diffs.push(`rfm ${x.customerId}.${k}`);
      });
    }
    expect(h.length).toBe(s1.length);
    expect(diffs).toEqual([]);
  });
});
