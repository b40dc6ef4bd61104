/**
 * Whitespace-separated text files (columns aligned with runs of spaces, as CDNOW_master.txt, the CLV
 * literature's data set, is distributed): the CLI reads them as they are, with no pre-processing
 * script, and says how it read them. Also the repository's own CSV example (examples/data) through
 * the CLI, as its documented shell command runs it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, readInput, WHITESPACE } from '../../src/cli/input';
import type { Io } from '../../src/cli/io';
import { cdnowAvailable, cdnowDir, loadCdnowMaster } from '../helpers/sharedData';
import { run } from './run';

const io: Io = { stdout: { write: () => {} }, stderr: { write: () => {} }, stdin: undefined, env: {} };
const dir = mkdtempSync(join(tmpdir(), 'cv-blank-'));

describe('whitespace-separated input', () => {
  it('is detected from a header with no , ; tab or | but several fields between runs of spaces', () => {
    expect(detectDelimiter(' customer_id  date number_of_cds  dollar_value\r')).toBe(WHITESPACE);
    expect(detectDelimiter('id date')).toBe(WHITESPACE);
    // One field, a quoted header, or any real delimiter: as before.
    expect(detectDelimiter('  single  ')).toBe(',');
    expect(detectDelimiter('"customer id" "date"')).toBe(',');
    expect(detectDelimiter('customer id,date')).toBe(',');
    expect(detectDelimiter('a b\tc')).toBe('\t');
    // With the first data line known, it must have as many fields: a one-column CSV headed
    // "Customer ID" stays one column.
    expect(detectDelimiter('Customer ID', '12345')).toBe(',');
    expect(detectDelimiter('id date amount', ' 1  19970101 3.5')).toBe(WHITESPACE);
  });

  it('reads fields between runs of blanks, ignores leading blanks, CR and blank lines, keeps file lines', async () => {
    const f = join(dir, 'aligned.txt');
    writeFileSync(f, ' id   date      amount\r\n 00001 19970101  11.77\r\n\r\n 00002 19970112   12.00\r\n');
    const r = await readInput(f, io);
    expect(r.delimiter).toBe(WHITESPACE);
    expect(r.columns).toEqual(['id', 'date', 'amount']);
    expect(r.rows).toEqual([
      { id: '00001', date: '19970101', amount: '11.77' },
      { id: '00002', date: '19970112', amount: '12.00' },
    ]);
    expect(r.lines).toEqual([2, 4]);
  });

  it('reads a one-column CSV whose header has a space as one column', async () => {
    const f = join(dir, 'one.csv');
    writeFileSync(f, 'Customer ID\n12345\n67890\n');
    const r = await readInput(f, io);
    expect(r.delimiter).toBe(',');
    expect(r.rows).toEqual([{ 'Customer ID': '12345' }, { 'Customer ID': '67890' }]);
  });

  it('names the line whose number of fields differs from the header (a value with a space cannot be told apart)', async () => {
    const f = join(dir, 'ragged.txt');
    writeFileSync(f, 'id date amount\n1 19970101 3\n2 19970102 New York 4\n');
    await expect(readInput(f, io)).rejects.toThrow(
      /ragged\.txt: line 3 has 5 fields separated by blanks, the header has 3/,
    );
  });

  it('is chosen with --delimiter whitespace (or space), and other names are still refused', async () => {
    const f = join(dir, 'forced.txt');
    writeFileSync(f, 'customerId type timestamp\nc1 login 2025-01-01\n');
    const ok = await run(['validate', f, '--delimiter', 'whitespace']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('CSV with delimiter whitespace (runs of spaces or tabs)');
    expect(ok.stderr).not.toContain('detected from the header');
    expect((await run(['validate', f, '--delimiter', 'space'])).code).toBe(0);
    const bad = await run(['validate', f, '--delimiter', 'blanks']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"blanks" is not a delimiter');
  });
});

if (!cdnowAvailable) console.warn(`[cdnow] ${cdnowDir} not found: the CLI CDNOW test is SKIPPED.`);

describe.skipIf(!cdnowAvailable)('customer-vitals on CDNOW_master.txt as distributed', () => {
  const file = resolve(cdnowDir, 'CDNOW_master.txt');
  const mapping = join(dir, 'cdnow.mapping.json');
  writeFileSync(
    mapping,
    JSON.stringify({
      fields: { customerId: 'customer_id', timestamp: 'date', value: 'dollar_value' },
      derive: { type: { const: 'purchase' } },
      timestamp: { format: 'yyyyMMdd' },
    }),
  );

  it('infer proposes the mapping written by hand above; validate with it accepts every transaction', async () => {
    const text = await run(['infer', file]);
    expect(text.stdout).toContain('delimiter whitespace (runs of spaces or tabs)');
    const drafted = join(dir, 'cdnow.draft.json');
    const draft = await run(['infer', file, '--json', '-o', drafted]);
    expect(draft.code).toBe(0);
    expect(JSON.parse(readFileSync(drafted, 'utf8'))).toEqual(JSON.parse(readFileSync(mapping, 'utf8')));
    const r = await run(['validate', file, '--mapping', drafted, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('delimiter whitespace (runs of spaces or tabs) (detected from the header)');
    const doc = JSON.parse(r.stdout);
    // The reference reader of the test helpers counts the same transactions (69,659).
    const expected = loadCdnowMaster().length;
    expect(expected).toBe(69659);
    expect(doc.stats).toMatchObject({ received: expected, accepted: expected, rejected: 0 });
  });

  it('clv runs on the file as it is: every one of the 23,570 customers gets a value', async () => {
    const r = await run(['clv', file, '--mapping', mapping, '--as-of', '1998-06-30', '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length - 1).toBe(new Set(loadCdnowMaster().map((t) => t.customerId)).size);
    expect(lines.length - 1).toBe(23570);
    // One CDNOW customer (10244) bought again for $0.00: no refund, but no spend either.
    expect(r.stderr).toContain(
      '1 repeat customer with net repeat spend <= 0 (refunds, or purchases worth 0) was left out of the Gamma-Gamma spend model',
    );
  }, 60_000);
});

describe('the CSV example of the repository (examples/data), as its shell command reads it', () => {
  it('validate with examples/data/mapping.json accounts for its 9 rows as the library does: 7 accepted, 2 rejected', async () => {
    const data = resolve(import.meta.dirname, '../../examples/data');
    const r = await run([
      'validate',
      join(data, 'events.csv'),
      '--mapping',
      join(data, 'mapping.json'),
      '--json',
    ]);
    expect(r.stderr).not.toContain('not found');
    expect(JSON.parse(r.stdout).stats).toMatchObject({ received: 9, accepted: 7, rejected: 2 });
    expect(r.code).toBe(1);
  });
});
