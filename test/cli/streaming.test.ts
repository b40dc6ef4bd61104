/**
 * Streamed output (#13 §2): 200,000 customers written as NDJSON and as one JSON document without
 * ever building one giant string: every write stays small, and every customer arrives.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';

const N = 200_000;

describe('streamed output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cv-stream-'));
  const file = join(dir, 'big.ndjson');
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    lines.push(
      `{"customerId":"c${i}","type":"purchase","timestamp":"2025-01-${day}","value":${1 + (i % 97)}}`,
    );
  }
  writeFileSync(file, lines.join('\n'));

  async function measure(format: string) {
    let writes = 0;
    let largest = 0;
    let newlines = 0;
    let head = '';
    const code = await main(['segment', file, '--format', format, '--quiet'], {
      stdout: {
        write: (t: string) => {
          writes++;
          largest = Math.max(largest, t.length);
          if (head.length < 200) head += t.slice(0, 200);
          for (let k = t.indexOf('\n'); k !== -1; k = t.indexOf('\n', k + 1)) newlines++;
        },
      },
      stderr: { write: () => {} },
      stdin: undefined,
      env: {},
    });
    return { code, writes, largest, newlines, head };
  }

  it('writes 200,000 NDJSON lines in writes of at most ~64 KB', async () => {
    const r = await measure('ndjson');
    expect(r.code).toBe(0);
    expect(r.newlines).toBe(N);
    expect(r.largest).toBeLessThan(70_000);
    expect(r.writes).toBeGreaterThan(100);
  }, 120_000);

  it('streams --format json as one document in small writes', async () => {
    const r = await measure('json');
    expect(r.code).toBe(0);
    expect(r.head).toMatch(/^\{\n {2}"schemaVersion": 2,/);
    // One line per result, plus the head's lines and the closing lines.
    expect(r.newlines).toBeGreaterThan(N);
    expect(r.largest).toBeLessThan(70_000);
  }, 120_000);
});
