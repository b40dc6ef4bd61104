/** Regression tests for the CLI fuzz findings (#18) and the CLI's never-throwing JSON writer. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonText } from '../../src/cli/text';
import { run } from '../cli/run';

describe('validate --json on a 20,000-deep properties cell', () => {
  it('reports the too_deep row instead of "unexpected error: Maximum call stack size exceeded"', async () => {
    let deep = '1';
    for (let i = 0; i < 20_000; i++) deep = `{"a":${deep}}`;
    const dir = mkdtempSync(join(tmpdir(), 'cv-deep-'));
    const file = join(dir, 'deep.ndjson');
    writeFileSync(
      file,
      `{"customerId":"c1","type":"purchase","timestamp":"2024-03-01","value":5,"properties":${deep}}\n` +
        '{"customerId":"c2","type":"login","timestamp":"2024-03-02"}\n',
    );
    for (const format of ['json', 'ndjson']) {
      const r = await run(['validate', file, '--format', format]);
      expect(r.stderr).not.toMatch(/unexpected error|RangeError/);
      expect([0, 1]).toContain(r.code); // 1: half the rows rejected (above --max-rejected)
      expect(r.stdout).toContain('"too_deep"');
      expect(r.stdout).toContain('[nested deeper than 32 levels]');
    }
  });
});

describe('jsonText', () => {
  it('is JSON.stringify for ordinary values', () => {
    expect(jsonText({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(jsonText({ a: 1 }, 2)).toBe('{\n  "a": 1\n}');
    expect(jsonText(undefined)).toBe('null');
  });

  it('never throws: cycles, BigInts and deep nesting are written, cut at 32 levels', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    expect(jsonText(circular)).toBe('{"a":1,"self":"[circular]"}');
    expect(jsonText({ n: 10n })).toBe('{"n":"10n"}');
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(jsonText(deep)).toBe(`${'['.repeat(32)}"[nested deeper than 32 levels]"${']'.repeat(32)}`);
  });
});
