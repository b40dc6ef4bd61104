/** `--currency` (#11): money in CLV and RFM sentences through Intl.NumberFormat, never a hard-coded `$`. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './run';

const dir = mkdtempSync(join(tmpdir(), 'cv-currency-'));
const lines: string[] = [];
// 12 customers, 3 purchases each over two months: enough for RFM and a formula or model CLV.
for (let c = 0; c < 12; c++) {
  for (let k = 0; k < 3; k++) {
    const day = String(1 + ((c * 3 + k * 17) % 28)).padStart(2, '0');
    const month = k === 2 ? '02' : '01';
    lines.push(
      JSON.stringify({
        customerId: `c${c}`,
        type: 'purchase',
        timestamp: `2025-${month}-${day}`,
        value: 10 + c * 5 + k,
      }),
    );
  }
}
const file = join(dir, 'orders.ndjson');
writeFileSync(file, lines.join('\n'));

describe('--currency', () => {
  it('formats money in segment reasons with the ISO 4217 code, and names it in the CSV header', async () => {
    const r = await run(['segment', file, '--currency', 'eur', '--format', 'csv', '--as-of', '2025-03-01']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toContain('monetary (EUR)');
    expect(r.stdout).toMatch(/€/);
    expect(r.stdout).not.toMatch(/\$/);
  });
  it('prints plain numbers (no currency symbol) without --currency', async () => {
    const r = await run(['segment', file, '--format', 'csv', '--as-of', '2025-03-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[€$£]/);
  });
  it('names the currency in the CLV column and passes it to the sentences', async () => {
    const r = await run(['clv', file, '--currency', 'GBP', '--format', 'csv', '--as-of', '2025-03-01']);
    expect(r.stdout.split('\n')[0]).toContain('clv (GBP)');
    expect(r.stdout).not.toMatch(/\$/);
  });
  it('rejects a code that is not ISO 4217 as a usage error naming the option', async () => {
    const r = await run(['clv', file, '--currency', 'euros']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--currency');
    expect(r.stderr).toContain('ISO 4217');
  });
});
