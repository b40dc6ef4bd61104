/** `validate`: the rejection report a data team can act on (issue #10, CLI part). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './run';

const dir = mkdtempSync(join(tmpdir(), 'cv-validate-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

// Line 1 is the header; an empty line 4 must not shift the numbers after it.
const csv = file(
  'export.csv',
  [
    'account,event,at,amount',
    'acme,Order Completed,2025-01-02,30', // line 2: ok
    'acme,NPS,2025-01-03,11', // line 3: score out of range
    '',
    ',Order Completed,2025-01-04,5', // line 5: no customer id
    'beta,Order Completed,2025-01-05,7', // line 6: ok
    ',Order Completed,2025-01-06,8', // line 7: no customer id
    '"gamma",Order Completed,"2025-01-07",9', // line 8: ok
  ].join('\n'),
);
const mapping = file(
  'mapping.json',
  JSON.stringify({
    fields: { customerId: 'account', type: 'event', timestamp: 'at', value: 'amount' },
    types: { 'Order Completed': 'purchase', NPS: 'nps_response' },
  }),
);

describe('customer-vitals validate', () => {
  it('summarises rejections by cause first (count, share, example with its 1-based file line), then rows', async () => {
    const r = await run(['validate', csv, '--mapping', mapping]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('export.csv: 6 rows, 3 accepted, 3 rejected');
    const lines = r.stdout.split('\n');
    const byCause = lines.indexOf('Rejected rows by cause:');
    const rows = lines.findIndex((l) => l.startsWith('Rejected rows (3 of 3'));
    expect(byCause).toBeGreaterThan(0);
    expect(rows).toBeGreaterThan(byCause);
    // 2 of 6 rows miss the customer id (33.3%), first at line 5; the NPS score is at line 3.
    const summary = lines.slice(byCause, rows).join('\n');
    expect(summary).toMatch(/customerId\s+2\s+33\.3%\s+line 5: /);
    expect(summary).toMatch(/value\s+1\s+16\.7%\s+line 3: .*between 0 and 10, got 11/);
    expect(r.stdout).toContain('  line 3: value: ');
    expect(r.stdout).toContain('  line 5: customerId: ');
    expect(r.stdout).toContain('  line 7: customerId: ');
    expect(r.stderr).toContain('CSV with delimiter "," (detected from the header)');
  });
  it('honours --top for the rows', async () => {
    const r = await run(['validate', csv, '--mapping', mapping, '--top', '1']);
    expect(r.stdout).toContain('Rejected rows (1 of 3');
    expect(r.stdout).toContain('... and 2 more');
    expect(r.stdout).not.toMatch(/^ {2}line 5: /m);
  });
  it('writes every rejected row with its issues to --rejected (CSV or NDJSON by extension)', async () => {
    const nd = join(dir, 'rejected.ndjson');
    const cs = join(dir, 'rejected.csv');
    await run(['validate', csv, '--mapping', mapping, '--top', '1', '--rejected', nd]);
    await run(['validate', csv, '--mapping', mapping, '--top', '1', '--rejected', cs]);
    const records = readFileSync(nd, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((x) => x.line)).toEqual([3, 5, 7]);
    expect(records[0].issues[0]).toMatchObject({ code: expect.any(String), path: ['value'] });
    expect(records[1].row).toMatchObject({ event: 'Order Completed', at: '2025-01-04' });
    const csvLines = readFileSync(cs, 'utf8').trim().split('\r\n');
    expect(csvLines[0]).toBe('line,codes,fields,issues,row');
    expect(csvLines.slice(1).map((l) => l.split(',')[0])).toEqual(['3', '5', '7']);
  });
  it('reports a broken NDJSON line as one invalid_json rejection with the parser message and its line', async () => {
    const f = file(
      'broken.ndjson',
      [
        '{"customerId":"a","type":"login","timestamp":"2025-01-01"}',
        '{"customerId":"b","type":"login",',
        '',
        '{"customerId":"c","type":"login","timestamp":"2025-01-02"}',
      ].join('\n'),
    );
    const r = await run(['validate', f, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.stats).toMatchObject({ received: 3, accepted: 2, rejected: 1 });
    expect(doc.results).toHaveLength(1);
    expect(doc.results[0]).toMatchObject({ line: 2, issues: [{ code: 'invalid_json' }] });
    expect(doc.results[0].issues[0].message).toMatch(/^not valid JSON: /);
    expect(doc.causes[0]).toMatchObject({ code: 'invalid_json', count: 1 });
  });
  it('detects a semicolon- or tab-separated file and says which delimiter was used', async () => {
    const semi = file(
      'semi.csv',
      'customerId;type;timestamp;value\na;purchase;2025-01-01;5\nb;purchase;2025-01-02;6\n',
    );
    const r = await run(['validate', semi]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 rows, 2 accepted, 0 rejected');
    expect(r.stderr).toContain('CSV with delimiter ";" (detected from the header)');
    const tab = file('tab.tsv', 'customerId\ttype\ttimestamp\na\tlogin\t2025-01-01\n');
    expect((await run(['validate', tab])).stderr).toContain('delimiter tab');
    // A wrong --delimiter gives one column: the fix names the delimiter.
    const forced = await run(['validate', semi, '--delimiter', ',']);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/--delimiter ";"/);
  });
  it('names a mapping typo before any row is read: the column, the closest match and the columns present', async () => {
    const typo = file(
      'typo.mapping.json',
      JSON.stringify({ fields: { customerId: 'acount', type: 'event', timestamp: 'at' } }),
    );
    const r = await run(['validate', csv, '--mapping', typo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"acount".*did you mean "account"\?/);
    expect(r.stderr).toContain('"amount"');
  });
  it('zero accepted rows: exit 1 with the top cause and what to change', async () => {
    const r = await run(['validate', csv]); // no mapping: no customerId column at all
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /no row accepted\. Top cause: \w+ at (customerId|type|timestamp) \(6 rows\)\. To fix: map your column/,
    );
  });
});
