import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRetailTransactions, generateSaasEvents } from '../../src/sample/index';
import { run } from './run';

const dir = mkdtempSync(join(tmpdir(), 'cv-cli-'));
const saas = generateSaasEvents({ customers: 40, seed: 9, end: '2025-06-01' });
const saasFile = join(dir, 'saas.ndjson');
writeFileSync(saasFile, saas.events.map((e) => JSON.stringify(e)).join('\n'));
const profilesFile = join(dir, 'profiles.json');
writeFileSync(profilesFile, JSON.stringify(saas.profiles));
const retailFile = join(dir, 'retail.json');
writeFileSync(retailFile, JSON.stringify(generateRetailTransactions({ customers: 300, seed: 2 }).events));

describe('customer-vitals analysis commands', () => {
  it('scores health as of a date, lowest first', async () => {
    const r = await run([
      'health',
      saasFile,
      '--as-of',
      '2025-05-01',
      '--top',
      '5',
      '--profiles',
      profilesFile,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Health as of 2025-05-01: \d+ customers, lowest first/);
    const scores = r.stdout
      .split('\n')
      .slice(3, 8)
      .map((l) => Number(l.split(/\s+/)[1]));
    expect(scores).toHaveLength(5);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });
  it('gives the same answer for the same input and as-of (deterministic)', async () => {
    const a = await run(['churn', saasFile, '--as-of', '2025-05-01', '--json']);
    const b = await run(['churn', saasFile, '--as-of', '2025-05-01', '--json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });
  it('estimates CLV and RFM segments on purchases', async () => {
    const clv = await run(['clv', retailFile, '--as-of', '2025-06-30', '--top', '3']);
    expect(clv.stdout).toMatch(/12-month CLV as of 2025-06-30 \(/);
    const seg = await run(['segment', retailFile, '--as-of', '2025-06-30']);
    expect(seg.stdout).toContain('Champions');
  });
  it('prints a KPI summary', async () => {
    const r = await run(['metrics', saasFile, '--as-of', '2025-05-01']);
    expect(r.stdout).toContain('NPS (90 days)');
    expect(r.stdout).toContain('NRR 2025-04-01');
  });
});
