/**
 * `--engine duckdb` for health, churn, clv and segment: on the generated samples the command's JSON
 * output equals `--engine js`'s (every field; numbers to 1e-9, relative to max(1, |x|)), and usage
 * errors are clear. Skipped visibly when @duckdb/node-api is not installed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRetailTransactions, generateSaasEvents } from '../../src/sample/index';
import { run } from './run';

let hasDuckDb = true;
try {
  createRequire(import.meta.url).resolve('@duckdb/node-api');
} catch {
  hasDuckDb = false;
  console.warn('[duckdb] @duckdb/node-api not installed: the CLI --engine duckdb parity tests are SKIPPED.');
}

const dir = mkdtempSync(join(tmpdir(), 'cv-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ndjson = (name: string, rows: readonly unknown[]): string => {
  const file = join(dir, name);
  writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return file;
};
// SaaS accounts over two years (subscriptions, activity, tickets, surveys, billing), plus purchases
// and refunds for some of them so that every aggregation has data.
const saas = generateSaasEvents({ customers: 120, seed: 11, start: '2024-01-01', end: '2025-07-01' });
const extra = saas.events
  .filter((e) => e.type === 'invoice_paid')
  .flatMap((e, i) => [
    { customerId: e.customerId, type: 'purchase', timestamp: e.timestamp, value: ((i % 7) + 1) * 10.1 },
    ...(i % 9 === 0
      ? [
          {
            customerId: e.customerId,
            type: 'refund',
            timestamp: Number(e.timestamp) + 86_400_000,
            value: 3.3,
          },
        ]
      : []),
  ]);
const saasFile = ndjson('saas.ndjson', [...saas.events, ...extra]);
const retail = generateRetailTransactions({ customers: 400, seed: 3 });
const retailEvents = retail.events.map((e, i) =>
  i % 11 === 0 ? { ...e, type: 'refund', value: Math.round((e.value ?? 0) * 30) / 100 } : e,
);
const retailFile = ndjson('retail.ndjson', retailEvents);

type Json = unknown;
/** Paths where two JSON documents differ (numbers to 1e-9 relative to max(1, |x|)). */
function diff(a: Json, b: Json, path = '', out: string[] = []): string[] {
  if (out.length > 20) return out;
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)))) out.push(`${path}: ${a} vs ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: length ${a.length} vs ${b.length}`);
    else for (let i = 0; i < a.length; i++) diff(a[i], b[i], `${path}.${i}`, out);
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys)
      diff((a as Record<string, Json>)[k], (b as Record<string, Json>)[k], `${path}.${k}`, out);
  } else if (typeof a === 'string' && typeof b === 'string') {
    if (a !== b && !sameUpToLastDigit(a, b))
      out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  } else if (a !== b) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  return out;
}

const NUMBER = /\d+(?:\.\d+)?/g;
/**
 * Sentences quote rounded numbers: a value at a rounding half-way point (15.15 summed exactly in SQL,
 * 15.149999999999999 as a JS running total) prints as 15.2 in one and 15.1 in the other. Such a
 * sentence matches when the text around the numbers is identical and each number differs by at most
 * one unit of its last printed digit.
 */
function sameUpToLastDigit(a: string, b: string): boolean {
  if (a.replace(NUMBER, '#') !== b.replace(NUMBER, '#')) return false;
  const x = a.match(NUMBER) ?? [];
  const y = b.match(NUMBER) ?? [];
  return x.every((s, i) => {
    const t = y[i] as string;
    const decimals = Math.max(s.split('.')[1]?.length ?? 0, t.split('.')[1]?.length ?? 0);
    return Math.abs(Number(s) - Number(t)) <= 10 ** -decimals * 1.000001;
  });
}

async function both(args: string[]): Promise<{ js: Record<string, Json>; duck: Record<string, Json> }> {
  const js = await run([...args, '--json']);
  const duck = await run([...args, '--json', '--engine', 'duckdb']);
  expect(js.code, js.stderr).toBe(0);
  expect(duck.code, duck.stderr).toBe(0);
  const j = JSON.parse(js.stdout) as Record<string, Json>;
  const d = JSON.parse(duck.stdout) as Record<string, Json>;
  expect(d.input).toMatchObject({ engine: 'duckdb' });
  // `input` describes how the file was read (row counts on the JS path); everything else must match.
  delete j.input;
  delete d.input;
  return { js: j, duck: d };
}

describe('--engine duckdb equals --engine js', () => {
  it.skipIf(!hasDuckDb)(
    'health on the SaaS sample',
    async () => {
      const { js, duck } = await both(['health', saasFile, '--as-of', '2025-06-01']);
      expect((js.results as unknown[]).length).toBe(120);
      expect(diff(duck, js)).toEqual([]);
    },
    120_000,
  );
  it.skipIf(!hasDuckDb)(
    'churn on the SaaS sample (features and labels of three training windows in SQL, model in JS)',
    async () => {
      const { js, duck } = await both(['churn', saasFile, '--as-of', '2025-05-01', '--horizon', '45']);
      expect((js.results as unknown[]).length).toBeGreaterThan(50);
      expect(js.trainingRows).toBeGreaterThan(150);
      expect(diff(duck, js)).toEqual([]);
    },
    120_000,
  );
  it.skipIf(!hasDuckDb)(
    'clv on the retail sample with refunds (RFM summary in SQL, fitting in JS)',
    async () => {
      const { js, duck } = await both(['clv', retailFile, '--as-of', '2025-06-01', '--currency', 'EUR']);
      expect((js.results as unknown[]).length).toBeGreaterThan(300);
      expect(js.method).toBe('paretonbd');
      expect(diff(duck, js)).toEqual([]);
    },
    120_000,
  );
  it.skipIf(!hasDuckDb)(
    'segment on the retail sample and on the SaaS sample with purchases',
    async () => {
      const r = await both(['segment', retailFile, '--as-of', '2025-06-01']);
      expect((r.js.results as unknown[]).length).toBeGreaterThan(300);
      expect(diff(r.duck, r.js)).toEqual([]);
      const s = await both(['segment', saasFile, '--as-of', '2025-06-01']);
      expect(diff(s.duck, s.js)).toEqual([]);
    },
    120_000,
  );
  it('says which commands it runs, and needs --as-of and a file', async () => {
    const m = await run(['metrics', saasFile, '--engine', 'duckdb', '--as-of', '2025-06-01']);
    expect(m.code).toBe(2);
    expect((await run(['segment', retailFile, '--engine', 'duckdb'])).stderr).toMatch(
      /--engine duckdb needs --as-of/,
    );
    expect(
      (await run(['churn', '-', '--engine', 'duckdb', '--as-of', '2025-05-01'], { stdin: '' })).stderr,
    ).toMatch(/reads files/);
    const bad = await run(['clv', retailFile, '--engine', 'duckdb', '--as-of', '2025-06-01'], {
      env: { CUSTOMER_VITALS_DUCKDB_THREADS: 'many' },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/CUSTOMER_VITALS_DUCKDB_THREADS/);
  });
});
