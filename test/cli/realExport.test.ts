/**
 * A real, uncleaned export (UCI Online Retail, 20,000 lines; ../shared, never copied here): `infer`
 * proposes the right columns and date format, and `validate` with that draft accounts for every row.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './run';

const csv = resolve(
  import.meta.dirname,
  '../../../shared/datasets/online-retail/online_retail_sample_20k.csv',
);
const available = existsSync(csv);
if (!available) console.warn(`[online-retail] ${csv} not found: the CLI real-export tests are SKIPPED.`);

describe.skipIf(!available)('customer-vitals on the Online Retail sample', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cv-retail-'));
  const mapping = join(dir, 'mapping.json');

  it('infer proposes CustomerID, InvoiceDate with its format, InvoiceNo, Quantity × UnitPrice and the C-invoice refunds', async () => {
    const text = await run(['infer', csv]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('fields.customerId: "CustomerID"');
    expect(text.stdout).toMatch(/Why:\n/);
    const r = await run(['infer', csv, '--json', '-o', mapping]);
    expect(r.code).toBe(0);
    const draft = JSON.parse(readFileSync(mapping, 'utf8'));
    expect(draft.fields).toMatchObject({
      customerId: 'CustomerID',
      timestamp: 'InvoiceDate',
      eventId: 'InvoiceNo',
    });
    expect(draft.timestamp.format).toBe('yyyy-MM-dd HH:mm:ss');
    expect(JSON.stringify(draft.derive.value)).toContain('"product":["Quantity","UnitPrice"]');
    expect(JSON.stringify(draft.derive.type)).toContain('"starts_with"');
    expect(draft.placeholderIds).toContain('NA');
  });

  it('validate with the draft: accepted + rejected = 20,000; the NA lines are placeholder_id with their file lines', async () => {
    const r = await run(['validate', csv, '--mapping', mapping, '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.stats.received).toBe(20000);
    expect(doc.stats.accepted + doc.stats.rejected).toBe(20000);
    const placeholder = doc.causes.find((c: { code: string }) => c.code === 'placeholder_id');
    expect(placeholder.count).toBe(5078);
    // Line 2 of the file (first data row) has CustomerID NA; check it against the raw text.
    const lines = readFileSync(csv, 'utf8').split(/\r?\n/);
    const first = doc.results[0];
    expect(lines[first.line - 1]).toMatch(/,NA,/);
    expect(r.code).toBe(1); // validate: anything rejected is exit 1 by default
  });

  it('an analysis runs: placeholder ids are excluded on purpose, not counted as a data problem', async () => {
    const r = await run(['segment', csv, '--mapping', mapping, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /5078 of 20000 rows rejected \(25\.4%\), 5078 of them for a placeholder customer id/,
    );
    expect(r.stdout).not.toMatch(/^NA,/m);
  }, 60_000);
});
