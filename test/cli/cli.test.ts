import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { generateRetailTransactions, generateSaasEvents } from '../../src/sample/index';

const dir = mkdtempSync(join(tmpdir(), 'cv-cli-'));
const saas = generateSaasEvents({ customers: 40, seed: 9, end: '2025-06-01' });
const saasFile = join(dir, 'saas.ndjson');
writeFileSync(saasFile, saas.events.map((e) => JSON.stringify(e)).join('\n'));
const profilesFile = join(dir, 'profiles.json');
writeFileSync(profilesFile, JSON.stringify(saas.profiles));
const retailFile = join(dir, 'retail.json');
writeFileSync(retailFile, JSON.stringify(generateRetailTransactions({ customers: 300, seed: 2 }).events));
const csvFile = join(dir, 'export.csv');
writeFileSync(
  csvFile,
  'account,event,at,amount\nacme,Order Completed,2025-01-02,30\nacme,NPS,2025-01-03,11\n,Order Completed,2025-01-04,5\n',
);
const mappingFile = join(dir, 'mapping.json');
writeFileSync(
  mappingFile,
  JSON.stringify({
    fields: { customerId: 'account', type: 'event', timestamp: 'at', value: 'amount' },
    types: { 'Order Completed': 'purchase', NPS: 'nps_response' },
  }),
);

function run(...args: string[]): { code: number; text: string } {
  const lines: string[] = [];
  const code = main(args, (l) => lines.push(l));
  return { code, text: lines.join('\n') };
}

describe('customer-vitals CLI', () => {
  it('validates a CSV export with a mapping file, locating each rejected row, exit code 1', () => {
    const r = run('validate', csvFile, '--mapping', mappingFile);
    expect(r.code).toBe(1);
    expect(r.text).toContain('3 rows, 1 accepted, 2 rejected');
    expect(r.text).toContain('row 1: value: nps_response score must be between 0 and 10, got 11');
    expect(r.text).toContain('row 2: customerId: customerId is required');
  });
  it('prints machine-readable JSON with --json', () => {
    const r = run('validate', csvFile, '--mapping', mappingFile, '--json');
    const json = JSON.parse(r.text);
    expect(json.stats).toMatchObject({ received: 3, accepted: 1, rejected: 2 });
  });
  it('scores health as of a date, lowest first', () => {
    const r = run('health', saasFile, '--as-of', '2025-05-01', '--top', '5', '--profiles', profilesFile);
    expect(r.code).toBe(0);
    expect(r.text).toMatch(/^Health as of 2025-05-01: \d+ customers, lowest first/);
    const scores = r.text
      .split('\n')
      .slice(3)
      .map((l) => Number(l.split(/\s+/)[1]));
    expect(scores).toHaveLength(5);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });
  it('gives the same answer for the same input and as-of (deterministic)', () => {
    expect(run('churn', saasFile, '--as-of', '2025-05-01', '--json').text).toBe(
      run('churn', saasFile, '--as-of', '2025-05-01', '--json').text,
    );
  });
  it('estimates CLV and RFM segments on purchases', () => {
    const clv = run('clv', retailFile, '--as-of', '2025-06-30', '--top', '3');
    expect(clv.text).toMatch(/12-month CLV as of 2025-06-30 \(paretonbd/);
    const seg = run('segment', retailFile, '--as-of', '2025-06-30');
    expect(seg.text).toContain('Champions');
  });
  it('prints a KPI summary', () => {
    const r = run('metrics', saasFile, '--as-of', '2025-05-01');
    expect(r.text).toContain('NPS (90 days)');
    expect(r.text).toContain('NRR 2025-04-01');
  });
  it('exits 2 on an unknown command or a bad date', () => {
    expect(run('frobnicate', saasFile).code).toBe(2);
    expect(run('health', saasFile, '--as-of', 'someday').code).toBe(2);
  });
});
