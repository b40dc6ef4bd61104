/** `customer-vitals report`: the HTML file, pseudonymised ids, usage errors. */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRetailTransactions } from '../../src/sample/index';
import { run } from './run';

const dir = mkdtempSync(join(tmpdir(), 'cv-report-'));
const file = join(dir, 'orders.ndjson');
const retail = generateRetailTransactions({ customers: 40, seed: 3 });
writeFileSync(file, retail.events.map((e) => JSON.stringify(e)).join('\n'));
const ids = [...new Set(retail.events.map((e) => e.customerId))];

describe('customer-vitals report', () => {
  it('writes one HTML file to --out, with ids replaced by the keyed HMAC under --pseudonymise', async () => {
    const out = join(dir, 'report.html');
    const r = await run(['report', file, '-o', out, '--pseudonymise', '--title', 'Orders'], {
      env: { CUSTOMER_VITALS_PSEUDONYM_KEY: 'k1' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/report\.html: \d+ KB, \d+ sections with data, 40 customers/);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<title>Orders</title>');
    expect(html).toContain('customer ids pseudonymised');
    for (const id of ids) expect(html).not.toContain(id);
    const first = ids.sort()[0] as string;
    const pseudonym = createHmac('sha256', 'k1').update(first).digest('hex').slice(0, 12);
    expect(html).toContain(pseudonym);
  }, 60_000);
  it('writes the HTML to stdout without --out, and says when the pseudonym key is random', async () => {
    const r = await run(['report', file, '--pseudonymise']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
    expect(r.stderr).toContain('used a random key');
  }, 60_000);
  it('needs FILE or --sample, not both', async () => {
    expect((await run(['report'])).stderr).toMatch(/missing the input file, or --sample saas\|retail/);
    const both = await run(['report', file, '--sample', 'saas']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either FILE or --sample/);
  });
});
