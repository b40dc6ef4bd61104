import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, readInput } from '../../src/cli/input';
import type { Io } from '../../src/cli/io';

const io = (stdin?: string): Io => ({
  stdout: { write: () => {} },
  stderr: { write: () => {} },
  stdin: stdin === undefined ? undefined : Readable.from([Buffer.from(stdin)]),
  env: {},
});
const dir = mkdtempSync(join(tmpdir(), 'cv-input-'));

describe('reading input', () => {
  it('refuses a JSON array above the cap with a message asking for NDJSON (never an engine error)', async () => {
    const f = join(dir, 'big.json');
    writeFileSync(f, JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ customerId: `c${i}` }))));
    await expect(readInput(f, io(), { maxJsonBytes: 1024 * 1024 })).resolves.toMatchObject({
      format: 'json',
    });
    await expect(readInput(f, io(), { maxJsonBytes: 1024 })).rejects.toThrow(
      /big\.json is larger than 0 MB: a JSON array cannot be read in pieces; convert it to NDJSON/,
    );
    // From stdin the size is unknown up front: the cap applies while reading.
    const text = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ customerId: `c${i}` })));
    await expect(readInput('-', io(text), { maxJsonBytes: 1024 })).rejects.toThrow(/convert it to NDJSON/);
  });
  it('gives CSV rows their 1-based file lines across quoted line breaks and empty lines', async () => {
    const f = join(dir, 'lines.csv');
    writeFileSync(f, 'a,b\n1,2\n\n"x\ny",3\n4,5\n');
    const r = await readInput(f, io());
    expect(r.lines).toEqual([2, 4, 6]);
    expect(r.rows[1]).toEqual({ a: 'x\ny', b: '3' });
  });
  it('detects the delimiter from the header, ignoring delimiters inside quotes', () => {
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('"x,y";b;c')).toBe(';');
    expect(detectDelimiter('a\tb')).toBe('\t');
    expect(detectDelimiter('a|b|c,d')).toBe('|');
    expect(detectDelimiter('single')).toBe(',');
  });
});
