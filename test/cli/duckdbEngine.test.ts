/** `health --engine duckdb`: the same scores as the in-memory engine, and clear usage errors. */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSaasEvents } from '../../src/sample/index';
import { run } from './run';

let hasDuckDb = true;
try {
  createRequire(import.meta.url).resolve('@duckdb/node-api');
} catch {
  hasDuckDb = false;
  console.warn('[duckdb] @duckdb/node-api not installed: the CLI --engine duckdb test is SKIPPED.');
}

const dir = mkdtempSync(join(tmpdir(), 'cv-duck-'));
const file = join(dir, 'saas.ndjson');
writeFileSync(
  file,
  generateSaasEvents({ customers: 30, seed: 5, end: '2025-06-01' })
    .events.map((e) => JSON.stringify(e))
    .join('\n'),
);

describe('customer-vitals health --engine duckdb', () => {
  it('needs --as-of and a file (not stdin)', async () => {
    expect((await run(['health', file, '--engine', 'duckdb'])).stderr).toMatch(
      /--engine duckdb needs --as-of/,
    );
    expect(
      (await run(['health', '-', '--engine', 'duckdb', '--as-of', '2025-05-01'], { stdin: '' })).code,
    ).toBe(2);
    expect((await run(['health', file, '--engine', 'duckbd'])).stderr).toMatch(/did you mean duckdb\?/);
  });
  it.skipIf(!hasDuckDb)(
    'gives the in-memory engine’s scores',
    async () => {
      const js = JSON.parse((await run(['health', file, '--as-of', '2025-05-01', '--json'])).stdout);
      const duck = await run(['health', file, '--as-of', '2025-05-01', '--json', '--engine', 'duckdb']);
      expect(duck.code).toBe(0);
      const d = JSON.parse(duck.stdout);
      expect(d.input).toMatchObject({ engine: 'duckdb' });
      const pick = (doc: { results: { customerId: string; score: number | null; band: string | null }[] }) =>
        doc.results.map((r) => [
          r.customerId,
          r.score === null ? null : Math.round(r.score * 1e6) / 1e6,
          r.band,
        ]);
      expect(pick(d)).toEqual(pick(js));
    },
    60_000,
  );
});
