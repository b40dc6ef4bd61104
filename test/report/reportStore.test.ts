/**
 * buildReportData reads an EventStore (#13): the report of a store equals the report of the same
 * events as an array (every section, the customer table, the warnings), including when the report
 * date cuts the data (rows after asOf are left out of a store of their own).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvents } from '../../src/events/parseEvents';
import { parseProfiles } from '../../src/events/parseProfiles';
import type { CustomerEvent } from '../../src/events/types';
import { buildReportData, renderReport } from '../../src/report/index';
import { generateRetailTransactions, generateSaasEvents } from '../../src/sample/index';
import { storeEvents, toEventStore } from '../../src/store/index';
import { run } from '../cli/run';
import { at, HOUR, shuffled } from '../helpers/events';

const saas = generateSaasEvents({ customers: 60, seed: 21, end: '2025-06-01' });
const saasEvents = parseEvents(saas.events).events;
const profiles = parseProfiles(saas.profiles).profiles;
const retailEvents = parseEvents(generateRetailTransactions({ customers: 150, seed: 8 }).events).events;

describe('buildReportData on an EventStore', () => {
  it('SaaS sample: the same report as the events, at the end of the data and cut at an earlier date', () => {
    const store = toEventStore(saasEvents);
    for (const asOf of ['2025-06-01', '2025-04-15T12:00:00Z']) {
      const viaStore = buildReportData(store, { profiles, asOf, title: 't' });
      expect(viaStore).toEqual(buildReportData(saasEvents, { profiles, asOf, title: 't' }));
      expect(viaStore.health.available && viaStore.churn.available && viaStore.revenue.available).toBe(true);
    }
    // The default date (just after the latest event) too, and the source's type counts in the
    // order of the store's rows (as the CLI listed them before, from storeEvents).
    const d = buildReportData(store, { profiles });
    expect(d).toEqual(buildReportData(storeEvents(store), { profiles }));
    expect(Object.keys(d.source.types)).toEqual(
      Object.keys(buildReportData(storeEvents(store)).source.types),
    );
  });

  it('retail sample: the same report (CLV, RFM, clusters) as the events', () => {
    const store = toEventStore(shuffled(retailEvents, 3));
    for (const asOf of [undefined, '2024-10-01']) {
      const o = asOf === undefined ? {} : { asOf };
      const viaStore = buildReportData(store, o);
      expect(viaStore).toEqual(buildReportData(retailEvents, o));
      expect(viaStore.clv.available && viaStore.rfm.available).toBe(true);
    }
  });

  it('small random data sets in any order, with rows after asOf and custom properties (fast-check)', () => {
    const T0 = at('2025-01-01');
    const types = [
      'login',
      'feature_used',
      'purchase',
      'subscription_started',
      'subscription_cancelled',
      'ticket_opened',
      'ticket_resolved',
      'nps_response',
    ];
    const arb = fc.record({
      c: fc.integer({ min: 0, max: 7 }),
      type: fc.constantFrom(...types),
      slot: fc.integer({ min: 0, max: 200 }),
      v: fc.integer({ min: 1, max: 10 }),
      user: fc.option(fc.constantFrom('u1', 'u2'), { nil: undefined }),
      custom: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(arb, { maxLength: 50 }),
        fc.integer({ min: 0, max: 220 }),
        fc.integer(),
        (raw, cut, seed) => {
          const events: CustomerEvent[] = raw.map((r) => {
            const props: Record<string, unknown> = {};
            if (r.user !== undefined) props.userId = r.user;
            if (r.type === 'feature_used') props.feature = `f${r.v % 3}`;
            if (r.type.startsWith('ticket_')) props.ticketId = `t${r.v % 2}`;
            if (r.custom) props.team = 'x';
            return {
              customerId: `c${r.c}`,
              type: r.type,
              timestamp: T0 + r.slot * 12 * HOUR,
              ...(r.type === 'login' || r.type === 'ticket_opened' || r.type === 'ticket_resolved'
                ? {}
                : { value: r.v }),
              ...(Object.keys(props).length > 0 ? { properties: props } : {}),
            };
          });
          const asOf = T0 + cut * 12 * HOUR;
          const store = toEventStore(shuffled(events, seed), { keepProperties: seed % 2 === 0 });
          expect(buildReportData(store, { asOf, historyMonths: 3 })).toEqual(
            buildReportData(events, { asOf, historyMonths: 3 }),
          );
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the CLI report (reading the store) writes the HTML of the report of the events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cv-report-store-'));
    const file = join(dir, 'saas.ndjson');
    const profilesFile = join(dir, 'profiles.json');
    writeFileSync(file, saas.events.map((e) => JSON.stringify(e)).join('\n'));
    writeFileSync(profilesFile, JSON.stringify(saas.profiles));
    const r = await run([
      'report',
      file,
      '--profiles',
      profilesFile,
      '--as-of',
      '2025-05-01',
      '--title',
      't',
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const expected = renderReport(
      buildReportData(saasEvents, { asOf: at('2025-05-01'), profiles, title: 't' }),
    );
    expect(r.stdout).toBe(expected);
  });

  it('an empty store gives the empty report', () => {
    expect(buildReportData(toEventStore([]), { asOf: 0 })).toEqual(buildReportData([], { asOf: 0 }));
  });

  it('rejects what is neither events nor a store', () => {
    expect(() => buildReportData({ kind: 'nope' } as never)).toThrow(
      /array of validated events or an EventStore/,
    );
    expect(() => buildReportData({ kind: 'event-store' } as never)).toThrow(/not a valid EventStore/);
  });
});
