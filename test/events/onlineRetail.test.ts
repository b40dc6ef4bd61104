/**
 * The real, uncleaned UCI Online Retail sample (../shared/datasets/online-retail, never copied into
 * the repo) through ONE mapping file, examples/data/online-retail.mapping.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { estimateClv, rfmSummary } from '../../src/clv/index';
import { inferMapping, parseEvents } from '../../src/events/index';

const here = dirname(fileURLToPath(import.meta.url));
const file = resolve(here, '../../../shared/datasets/online-retail/online_retail_sample_20k.csv');
const available = existsSync(file);
if (!available) console.warn(`[online-retail] ${file} not found: Online Retail tests are SKIPPED.`);

type Line = Record<
  | 'InvoiceNo'
  | 'StockCode'
  | 'Description'
  | 'Quantity'
  | 'InvoiceDate'
  | 'UnitPrice'
  | 'CustomerID'
  | 'Country',
  string
>;

describe.skipIf(!available)('Online Retail sample, one mapping file', () => {
  const rows = available ? (parse(readFileSync(file), { columns: true }) as Line[]) : [];
  const mapping = JSON.parse(
    readFileSync(resolve(here, '../../examples/data/online-retail.mapping.json'), 'utf8'),
  );
  const result = parseEvents(rows, { mapping });

  // Independent computation, straight from the CSV: per invoice of a real customer, the sum of
  // Quantity × UnitPrice over its lines, and its earliest line time.
  const orders = new Map<string, { customer: string; total: number; first: string; refund: boolean }>();
  for (const r of rows) {
    if (r.CustomerID === 'NA') continue;
    const o = orders.get(r.InvoiceNo) ?? {
      customer: r.CustomerID,
      total: 0,
      first: r.InvoiceDate,
      refund: false,
    };
    o.total += Number(r.Quantity) * Number(r.UnitPrice);
    if (r.InvoiceDate < o.first) o.first = r.InvoiceDate;
    if (r.InvoiceNo.startsWith('C') || Number(r.Quantity) < 0) o.refund = true;
    orders.set(r.InvoiceNo, o);
  }

  it('accounts for every row: accepted + rejected = 20,000', () => {
    expect(rows).toHaveLength(20_000);
    expect(result.stats.received).toBe(20_000);
    expect(result.stats.accepted + result.stats.rejected).toBe(20_000);
  });
  it('rejects the 5,078 NA lines as placeholder_id, and nothing else', () => {
    expect(result.stats.byIssue.get('placeholder_id')?.count).toBe(5078);
    expect([...result.stats.byIssue.keys()]).toEqual(['placeholder_id']);
    expect(result.stats.rejected).toBe(5078);
  });
  it('makes one event per invoice (lines merged), refunds for C invoices and negative quantities', () => {
    expect(result.events).toHaveLength(orders.size);
    expect(result.stats.merged).toBe(result.stats.accepted - orders.size);
    const refunds = [...orders.values()].filter((o) => o.refund).length;
    expect(result.stats.byType.get('refund')).toBe(refunds);
    expect(result.stats.byType.get('purchase')).toBe(orders.size - refunds);
    for (const e of result.events) expect(e.type === 'refund').toBe(e.eventId?.startsWith('C'));
  });
  it('gives each order the sum of its lines (spot values and the grand total)', () => {
    const byId = new Map(result.events.map((e) => [e.eventId, e]));
    // Spot checks: every invoice with 20 or more lines in the sample.
    const big = [...orders].filter(([id]) => rows.filter((r) => r.InvoiceNo === id).length >= 20);
    expect(big.length).toBeGreaterThan(0);
    for (const [id, o] of big) {
      expect(byId.get(id)?.value).toBeCloseTo(Math.abs(o.total), 6);
      expect(byId.get(id)?.customerId).toBe(o.customer);
    }
    let total = 0;
    for (const o of orders.values()) total += Math.abs(o.total);
    let got = 0;
    for (const e of result.events) got += e.value ?? 0;
    expect(got).toBeCloseTo(total, 4);
  });
  it('reads InvoiceDate as UK local time (BST in summer) and stamps an order with its earliest line', () => {
    // 557055: 2011-06-16 14:45:00 in London (BST, UTC+1) = 13:45 UTC.
    const e = result.events.find((x) => x.eventId === '557055');
    expect(e?.timestamp).toBe(Date.UTC(2011, 5, 16, 13, 45));
    // 567183 has lines at 15:32 and 15:33 (2011-09-18, BST): the order is at 15:32 local = 14:32 UTC.
    expect(result.events.find((x) => x.eventId === '567183')?.timestamp).toBe(Date.UTC(2011, 8, 18, 14, 32));
  });
  it('feeds rfmSummary and estimateClv', () => {
    const asOf = '2011-12-10';
    const rfm = rfmSummary(result.events, { asOf });
    const customers = new Set([...orders.values()].filter((o) => !o.refund).map((o) => o.customer));
    expect(rfm.customers.length).toBe(customers.size);
    for (const c of rfm.customers) {
      expect(Number.isFinite(c.recency) && Number.isFinite(c.T)).toBe(true);
    }
    const clv = estimateClv(result.events, { asOf });
    expect(clv.customers.length).toBeGreaterThan(0);
    for (const c of clv.customers) expect(c.value === null || Number.isFinite(c.value)).toBe(true);
  });
  it('inferMapping proposes the right columns, date format, amount and refund rule', () => {
    const draft = inferMapping(rows);
    expect(draft.mapping.fields).toEqual({
      customerId: 'CustomerID',
      timestamp: 'InvoiceDate',
      eventId: 'InvoiceNo',
    });
    expect(draft.mapping.timestamp?.format).toBe('yyyy-MM-dd HH:mm:ss');
    expect(draft.mapping.placeholderIds).toContain('NA');
    expect(draft.mapping.aggregate).toEqual({ by: 'eventId', value: 'sum' });
    expect(draft.mapping.derive?.value).toEqual({ abs: { product: ['Quantity', 'UnitPrice'] } });
    expect(JSON.stringify(draft.mapping.derive?.type)).toContain('"op":"starts_with","value":"C"');
    expect(JSON.stringify(draft.mapping.derive?.type)).toContain('Quantity < 0');
    expect(draft.reasons.find((r) => r.path === 'timestamp.timeZone')?.reason).toContain('no UTC offset');
    // The draft applied as is accounts for every row too.
    const r = parseEvents(rows, { mapping: draft.mapping });
    expect(r.stats.accepted + r.stats.rejected).toBe(20_000);
    expect(r.stats.byIssue.get('placeholder_id')?.count).toBe(5078);
  });
});
