/**
 * JSON exports often give ids as numbers (`"CustomerID": 17850`, or 17850.0 from a float column). Ids
 * are text, so a mapping naming such a column directly has every row refused; the CLI says how to read
 * the column as text, and `infer` proposes it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './run';

const dir = mkdtempSync(join(tmpdir(), 'cv-numids-'));
const file = join(dir, 'orders.ndjson');
const rows = [
  {
    CustomerID: 17850,
    InvoiceNo: 536365,
    InvoiceDate: '2010-12-01T08:26:00Z',
    event: 'purchase',
    amount: 15.3,
  },
  {
    CustomerID: 17850,
    InvoiceNo: 536366,
    InvoiceDate: '2010-12-02T08:28:00Z',
    event: 'purchase',
    amount: 11.1,
  },
  {
    CustomerID: 13047,
    InvoiceNo: 536367,
    InvoiceDate: '2010-12-03T08:34:00Z',
    event: 'purchase',
    amount: 54,
  },
];
writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);

describe('ids given as numbers in a JSON export', () => {
  it('a mapping naming the column directly: no row accepted, and the fix is named', async () => {
    const mapping = join(dir, 'direct.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        fields: { customerId: 'CustomerID', timestamp: 'InvoiceDate', type: 'event', value: 'amount' },
      }),
    );
    const r = await run(['health', file, '--mapping', mapping]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('customerId must be a string, got a number');
    expect(r.stderr).toContain('"derive": { "customerId": { "concat": ["<its column>"] } }');
    const v = await run(['validate', file, '--mapping', mapping]);
    expect(v.stderr).toContain('the customerId values are numbers, and ids are text');
  });

  it('infer proposes reading them as text, and validate then accepts every row', async () => {
    const draftFile = join(dir, 'draft.json');
    const d = await run(['infer', file, '--json', '-o', draftFile]);
    expect(d.code).toBe(0);
    const draft = JSON.parse(readFileSync(draftFile, 'utf8'));
    expect(draft.derive).toMatchObject({
      customerId: { concat: ['CustomerID'] },
      eventId: { concat: ['InvoiceNo'] },
    });
    const v = await run(['validate', file, '--mapping', draftFile, '--json']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout).stats).toMatchObject({ received: 3, accepted: 3, rejected: 0 });
  });
});
