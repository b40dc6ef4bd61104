import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { VitalsError } from '../../src/_lib/errors';
import { reportCompressor } from '../../src/cli/commands/report';
import type { ReportData } from '../../src/report/index';
import { buildReportData, pseudonymiseReport, REPORT_SECTIONS, renderReport } from '../../src/report/index';
import { RETAIL_ONLY, retailReportData, SAAS_ONLY, saasReportData } from './fixtures';

const saas = saasReportData();
const retail = retailReportData();

describe('buildReportData', () => {
  it('builds every SaaS section the data supports and says why the purchase sections are absent', () => {
    for (const id of [
      'overview',
      'revenue',
      'health',
      'risky',
      'churn',
      'survival',
      'clusters',
      'cohorts',
    ] as const) {
      expect(saas[id], id).toMatchObject({ available: true });
    }
    for (const id of RETAIL_ONLY) {
      expect(saas[id]).toEqual({ available: false, reason: expect.stringMatching(/^no purchase events/) });
    }
  });
  it('on retail-only data, the SaaS sections are absent with their reason', () => {
    for (const id of SAAS_ONLY) {
      expect(retail[id]).toEqual({
        available: false,
        reason: expect.stringMatching(/^no subscription events/),
      });
    }
    expect(retail.rfm.available).toBe(true);
  });
  it('tracks cumulative repeat purchases, model vs actual, through a holdout when the history is long enough', () => {
    if (!retail.clv.available) throw new Error(retail.clv.reason);
    const tr = retail.clv.data.tracking ?? [];
    expect(tr.length).toBeGreaterThan(30);
    expect(retail.clv.data.trackingReason).toMatch(/^BG\/NBD fitted on purchases before the last \d+ weeks/);
    // Cumulative series never decrease.
    for (let i = 1; i < tr.length; i++) {
      expect((tr[i] as { actual: number }).actual).toBeGreaterThanOrEqual(
        (tr[i - 1] as { actual: number }).actual,
      );
      expect((tr[i] as { expected: number }).expected).toBeGreaterThanOrEqual(
        (tr[i - 1] as { expected: number }).expected - 1e-9,
      );
    }
  });
  it('counts band membership consistently: every history date sums to the customers scored then', () => {
    if (!saas.health.available) throw new Error('health absent');
    const last = saas.health.data.overTime.at(-1) as { counts: number[] };
    expect(last.counts.reduce((a, b) => a + b, 0)).toBe(saas.customers.ids.length);
  });
  it('keeps the customer table columnar and consistent', () => {
    const t = saas.customers;
    const n = t.ids.length;
    expect(t.score).toHaveLength(n);
    expect(t.history).toHaveLength(n * t.historyDates.length);
    expect(t.drivers).toHaveLength(n * t.driversPerCustomer * 2);
    expect(t.historyDates.at(-1)).toBe(Date.parse('2025-06-01'));
  });
  it('rejects unknown options with the closest name', () => {
    expect(() => buildReportData([], { asof: 1 } as never)).toThrow(/asOf/);
  });
});

/** A report of 100,000 customers (the retail report with a synthetic customer table). */
function bigReport(id: (i: number) => string): ReportData {
  const n = 100_000;
  const big = structuredClone(retail) as ReportData;
  const H = big.customers.historyDates.length || 6;
  const t = big.customers;
  t.historyDates = Array.from({ length: H }, (_, i) => Date.UTC(2025, i, 1));
  t.bandNames = ['at risk', 'neutral', 'healthy'];
  t.segmentNames = ['Champions', 'Loyal', 'At Risk', 'Lost'];
  t.planNames = ['starter', 'growth', 'enterprise'];
  t.driverNames = ['Recency', 'Frequency', 'Monetary trend', 'Refunds'];
  t.ids = Array.from({ length: n }, (_, i) => id(i));
  t.score = t.ids.map((_, i) => Math.round(((i * 7919) % 1000) / 10) / 1);
  t.band = t.ids.map((_, i) => i % 3);
  t.segment = t.ids.map((_, i) => i % 4);
  t.plan = t.ids.map((_, i) => i % 3);
  t.churn = t.ids.map((_, i) => ((i * 13) % 1000) / 10);
  t.clv = t.ids.map((_, i) => (i * 37) % 5000);
  t.history = Array.from({ length: n * H }, (_, i) => (i * 31) % 100);
  t.drivers = Array.from({ length: n * t.driversPerCustomer * 2 }, (_, i) =>
    i % 2 === 0 ? i % 4 : -((i * 3) % 200),
  );
  return big;
}

/** A deterministic v4-shaped UUID (36 characters) with pseudo-random hex digits. */
function uuid(i: number): string {
  let x = Math.imul(i + 1, 0x9e3779b1);
  let h = '';
  for (let k = 0; k < 32; k++) {
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    h += ((x >>> 28) & 15).toString(16);
  }
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

/** The plain JSON customer table of an uncompressed report. */
const jsonBlock = (html: string) =>
  /<script type="application\/json" id="cv-customers">(.*?)<\/script>/s.exec(html)?.[1] ?? '';

/** The customer table decoded from a compressed report, as the page does. */
function embedded(html: string) {
  const b64 = /data-encoding="deflate-raw;base64">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
  return JSON.parse(inflateRawSync(Buffer.from(b64, 'base64')).toString('utf8'));
}

describe('renderReport', () => {
  const html = renderReport(saas);
  it('is one self-contained page: a CSP forbidding network access, no external resource', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`content="default-src 'none';`);
    // The only URL is the SVG namespace (an identifier, never fetched).
    const urls = html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(html).not.toMatch(/<(link|img|iframe)\b|\bsrc=|@import|url\(/i);
  });
  it('renders every section: present ones with a chart or table, absent ones with the reason', () => {
    for (const [id] of REPORT_SECTIONS) {
      const m = new RegExp(`<section id="${id}" data-available="(true|false)"`).exec(html);
      expect(m, id).not.toBeNull();
    }
    expect(html).toContain('<section id="rfm" data-available="false"');
    expect(html).toMatch(
      /<section id="rfm"[^>]*><h2[^>]*>RFM segments<\/h2><p class="reason">Not shown: no purchase events/,
    );
    // Every chart has a text alternative.
    const charts = html.match(/<svg class="chart[^>]*>/g) ?? [];
    expect(charts.length).toBeGreaterThan(8);
    for (const c of charts) expect(c).toMatch(/aria-labelledby="\w+t \w+d"/);
  });
  it('escapes ids and text from the data (no markup, no script break-out)', () => {
    const evil = structuredClone(saas) as ReportData;
    evil.customers.ids[0] = '</script><script>alert(1)</script>';
    evil.title = '<b>x</b>';
    const out = renderReport(evil);
    expect(out).not.toContain('</script><script>alert(1)');
    expect(out).toContain('\\u003c/script>\\u003cscript>alert(1)\\u003c/script>');
    expect(out).toContain('<title>&#60;b&#62;x&#60;/b&#62;</title>');
  });
  it('stays under 5 MB for 100,000 customers', () => {
    const out = renderReport(bigReport((i) => `customer-${String(i).padStart(6, '0')}`));
    expect(out.length).toBeLessThan(5 * 1024 * 1024);
  });
  it('stays under 5 MB for 100,000 customers with 36-character UUID ids, compressed as the CLI does', () => {
    const big = bigReport(uuid);
    const plain = renderReport(big);
    const packed = renderReport(big, { compress: reportCompressor });
    // Uncompressed, UUID ids alone are 3.7 MB: over the goal (measured 7.10 MB).
    expect(plain.length).toBeGreaterThan(5 * 1024 * 1024);
    expect(packed.length).toBeLessThan(5 * 1024 * 1024);
    // Lossless: every id (and every other field) comes back from the embedded bytes.
    const back = embedded(packed);
    expect(back).toEqual(JSON.parse(jsonBlock(plain)));
    expect(back.packed.n).toBe(100_000);
    // The sections outside the table are unchanged.
    expect(packed.slice(0, packed.indexOf('<script'))).toBe(plain.slice(0, plain.indexOf('<script')));
  });
  it('compressed: a base64 raw-DEFLATE block the page inflates without any request', () => {
    const out = renderReport(saas, { compress: reportCompressor });
    expect(out).toMatch(
      /<script type="application\/octet-stream" id="cv-customers" data-encoding="deflate-raw;base64">[A-Za-z0-9+/]+=*<\/script>/,
    );
    expect(out).toContain("new DecompressionStream('deflate-raw')");
    expect(out).toContain('cannot decompress it');
    expect(out).toContain("default-src 'none'");
    expect(out).not.toMatch(/connect-src|fetch\(/);
    expect(embedded(out)).toEqual(JSON.parse(jsonBlock(renderReport(saas))));
    // Without a compressor: plain JSON, as before.
    expect(renderReport(saas)).not.toContain('data-encoding=');
  });
  it('checks the compressor', () => {
    expect(() => renderReport(saas, { compress: 'deflate' } as never)).toThrow(
      /option "compress" must be a function/,
    );
    expect(() => renderReport(saas, { compress: () => 'x' } as never)).toThrow(/non-empty Uint8Array/);
    expect(() =>
      renderReport(saas, {
        compress: () => {
          throw new Error('boom');
        },
      }),
    ).toThrow(VitalsError);
  });
  it('rejects unknown options', () => {
    expect(() => renderReport(saas, { curency: 'EUR' } as never)).toThrow(VitalsError);
  });
});

describe('pseudonymiseReport', () => {
  it('replaces every id by a keyed HMAC, the same for the same key and different for another', async () => {
    const a = await pseudonymiseReport(saas, { key: 'secret' });
    const b = await pseudonymiseReport(saas, { key: 'secret' });
    const c = await pseudonymiseReport(saas, { key: 'other' });
    expect(a.pseudonymised).toBe(true);
    expect(a.customers.ids).toEqual(b.customers.ids);
    expect(a.customers.ids[0]).not.toBe(c.customers.ids[0]);
    expect(a.customers.ids.every((id) => /^c_[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(new Set(a.customers.ids).size).toBe(saas.customers.ids.length);
    const html = renderReport(a);
    for (const id of saas.customers.ids) expect(html).not.toContain(`>${id}<`);
    if (a.risky.available) expect(a.customers.ids).toContain(a.risky.data.customers[0]?.id);
    // HMAC-SHA-256("secret", id) checked against Node's crypto: an independent implementation.
    const { createHmac } = await import('node:crypto');
    const first = saas.customers.ids[0] as string;
    expect(a.customers.ids[0]).toBe(
      `c_${createHmac('sha256', 'secret').update(first).digest('hex').slice(0, 12)}`,
    );
  });
  it('rejects an empty key', async () => {
    await expect(pseudonymiseReport(saas, { key: '' })).rejects.toThrow(/key/);
  });
});

describe('the packed customer table', () => {
  it('round-trips through the page decoder, nulls, negative impacts and odd ids included', async () => {
    const { packTable, CLIENT_DECODE } = await import('../../src/report/_pack');
    const t = structuredClone(saas.customers);
    t.ids[0] = 'line\nbreak\\n and \\ backslash';
    t.score[1] = null;
    t.churn[2] = 99.9;
    const unpack = new Function(`${CLIENT_DECODE}; return unpack;`)() as (p: unknown) => unknown;
    const back = unpack(JSON.parse(JSON.stringify(packTable(t)))) as typeof t;
    expect(back).toEqual(t);
  });
});

describe('hostile input', () => {
  it('throws located ValidationErrors, never a TypeError', async () => {
    expect(() => buildReportData(null as never)).toThrow(VitalsError);
    expect(() =>
      buildReportData([{ customerId: 'a', type: 'login', timestamp: '2025-01-01' }] as never),
    ).toThrow(/events\[0\] is not a validated event .*parseEvents/);
    for (const bad of [null, {}, { schemaVersion: 1 }, { ...saas, customers: { ids: ['a'], score: [] } }]) {
      expect(() => renderReport(bad as never)).toThrow(VitalsError);
      await expect(pseudonymiseReport(bad as never, { key: 'k' })).rejects.toThrow(VitalsError);
    }
  });
});
