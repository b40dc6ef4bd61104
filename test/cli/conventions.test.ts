/**
 * The command-line conventions of issue #15 §2: help and version, option errors, exit codes,
 * stdout/stderr split, stdin, colour, output formats, escaping, formula injection, EPIPE.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/cli/main';
import { csvField, escapeControl } from '../../src/cli/text';
import { run } from './run';

const dir = mkdtempSync(join(tmpdir(), 'cv-conv-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const purchase = (id: string, day: number, value = 10) =>
  JSON.stringify({
    customerId: id,
    type: 'purchase',
    timestamp: `2025-01-${String(day).padStart(2, '0')}`,
    value,
  });
// 3 customers with purchases: a tiny but valid export.
const good = [purchase('a', 1), purchase('a', 5), purchase('b', 2), purchase('c', 3, 30)];
const goodFile = file('good.ndjson', good.join('\n'));

describe('help and version', () => {
  it('prints the version with --version and -V', async () => {
    const r = await run(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect((await run(['-V'])).stdout).toBe(`${VERSION}\n`);
  });
  it('prints per-command help with examples and the exit codes, not the global text', async () => {
    const r = await run(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^customer-vitals validate FILE/);
    expect(r.stdout).toContain('--rejected FILE');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('1  data problem');
    expect(r.stdout).not.toContain('Commands:');
    expect((await run(['help', 'churn'])).stdout).toContain('--horizon DAYS');
  });
  it('prints the global help on stderr with exit 2 when no command is given', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Commands:');
  });
});

describe('usage errors exit 2 with the option named and a pointer to --help', () => {
  it.each([
    [
      ['health', goodFile, '--tpo', '5'],
      /unknown option --tpo; did you mean --top\? \(see customer-vitals health --help\)/,
    ],
    [['helth', goodFile], /unknown command "helth"; did you mean "health"\?/],
    [['health', goodFile, '--top', 'abc'], /option --top: "abc" is not a whole number/],
    [['churn', goodFile, '--horizon', 'abc'], /option --horizon: "abc" is not a whole number/],
    [['health', goodFile, '--as-of', 'someday'], /option --as-of: "someday" is not a valid date/],
    [
      ['health', goodFile, '--format', 'xml'],
      /option --format: "xml" is not one of table, json, ndjson, csv/,
    ],
    [['health', goodFile, '--max-rejected', 'lots'], /option --max-rejected: "lots" is not a count/],
    [['health', goodFile, '--json=yes'], /option --json takes no value/],
    [['health', goodFile, '--top'], /option --top needs a value \(N\)/],
    [['health', join(dir, 'missing.csv')], /cannot read .*missing\.csv: no such file/],
    [['health'], /missing the input file \(use - for stdin/],
    [
      ['report', '--sample', 'sass'],
      /option --sample: "sass" is not one of saas, retail; did you mean saas\?/,
    ],
  ])('%j', async (args, message) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.endsWith('\n')).toBe(true);
  });
});

describe('exit code 1 for data problems, 0 otherwise', () => {
  const mixed = file(
    'mixed.ndjson',
    [...good, '{"customerId":"d","type":"purchase","timestamp":"bad","value":1}'].join('\n'),
  );
  it('rejects above --max-rejected (default 5% for analyses): 1 of 5 rows = 20%', async () => {
    const r = await run(['segment', mixed]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /1 of 5 rows rejected \(20\.0%\), above --max-rejected 5%; top cause: .* line 5/,
    );
  });
  it('runs when the share is within --max-rejected, with the notice on stderr only', async () => {
    const r = await run(['segment', mixed, '--max-rejected', '25%', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).schemaVersion).toBeGreaterThan(0);
    expect(r.stderr).toContain('1 of 5 rows rejected (20.0%); run "validate" for the reasons');
  });
  it('validate exits 1 on any rejection by default, 0 with --max-rejected 1', async () => {
    expect((await run(['validate', mixed])).code).toBe(1);
    expect((await run(['validate', mixed, '--max-rejected', '1'])).code).toBe(0);
    expect((await run(['validate', goodFile])).code).toBe(0);
  });
  it('an empty result is exit 1 with the reason, never an empty success', async () => {
    // Every purchase is after --as-of: no customer to segment.
    const r = await run(['segment', goodFile, '--as-of', '2024-01-01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/empty result/);
  });
});

describe('input', () => {
  it('reads stdin with "-" (NDJSON and CSV sniffed)', async () => {
    const r = await run(['validate', '-'], { stdin: good.join('\n') });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('stdin: 4 rows, 4 accepted, 0 rejected');
    const csv = 'customerId,type,timestamp,value\na,purchase,2025-01-01,5\n';
    expect((await run(['validate', '-'], { stdin: csv })).stdout).toContain('stdin: 1 rows, 1 accepted');
  });
  it('ignores a byte-order mark in JSON, NDJSON and mapping files', async () => {
    const json = file('bom.json', `\uFEFF[${good.join(',')}]`);
    const ndjson = file('bom.ndjson', `\uFEFF${good.join('\n')}`);
    const mapping = file('bom.mapping.json', '\uFEFF{"fields":{}}');
    expect((await run(['validate', json])).stdout).toContain('4 accepted, 0 rejected');
    expect((await run(['validate', ndjson])).stdout).toContain('4 accepted, 0 rejected');
    expect((await run(['validate', ndjson, '--mapping', mapping])).code).toBe(0);
  });
  it('names the file in JSON errors', async () => {
    const bad = file('bad.json', '[{"customerId": }]');
    const r = await run(['validate', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.json: not valid JSON: /);
    const badMapping = file('bad.mapping.json', '{ fields: 1 }');
    const m = await run(['validate', goodFile, '--mapping', badMapping]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/the mapping .*bad\.mapping\.json is not valid JSON/);
  });
  it('rejects a duplicated CSV header instead of keeping one value', async () => {
    const f = file('dup.csv', 'customerId,type,timestamp,value,value\na,purchase,2025-01-01,5,6\n');
    const r = await run(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the header has column "value" twice (columns 4 and 5)');
  });
  it('keeps a CSV column named __proto__ as data', async () => {
    const f = file('proto.csv', '__proto__,type,timestamp,value\nacme,purchase,2025-01-01,5\n');
    const m = file('proto.mapping.json', JSON.stringify({ fields: { customerId: '__proto__' } }));
    const r = await run(['segment', f, '--mapping', m, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n')[1]).toMatch(/^acme,/);
  });
  it('rejects a mapping pointing two fields at one column', async () => {
    const m = file('two.mapping.json', JSON.stringify({ fields: { customerId: 'id', eventId: 'id' } }));
    const r = await run(['validate', goodFile, '--mapping', m]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('maps both fields.customerId and fields.eventId to the column "id"');
  });
  it('reports invalid --profiles rows on stderr (and fails above --max-rejected)', async () => {
    const profiles = file(
      'profiles.json',
      JSON.stringify([{ customerId: 'a', plan: 'pro' }, { plan: 'x' }, { customerId: 'c' }]),
    );
    const strict = await run(['segment', goodFile, '--profiles', profiles]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/profiles\.json: 1 of 3 profile rows rejected \(e\.g\. line 2: /);
    const lax = await run(['segment', goodFile, '--profiles', profiles, '--max-rejected', '1']);
    expect(lax.code).toBe(0);
    expect(lax.stderr).toMatch(/warning \[profiles_rejected\]: .*1 of 3 profile rows rejected/);
  });
});

describe('output', () => {
  it('--json: one document with schemaVersion, input counts, warnings and every result (segment with R/F/M and reasons)', async () => {
    const r = await run(['segment', goodFile, '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 2, command: 'segment', input: { received: 4, accepted: 4 } });
    expect(Array.isArray(doc.warnings)).toBe(true);
    expect(doc.results.map((c: { customerId: string }) => c.customerId)).toEqual(['a', 'b', 'c']);
    expect(doc.results[0]).toMatchObject({
      recencyDays: expect.any(Number),
      frequency: 2,
      monetary: 20,
      r: expect.any(Number),
      reason: expect.stringContaining('R='),
    });
  });
  it('--format ndjson: one result per line; --format csv: a flat table with a header', async () => {
    const nd = await run(['segment', goodFile, '--format', 'ndjson']);
    expect(
      nd.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).customerId),
    ).toEqual(['a', 'b', 'c']);
    const csv = await run(['segment', goodFile, '--format', 'csv']);
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('customer,recencyDays,frequency,monetary,r,f,m,code,segment,reason');
    expect(lines).toHaveLength(4);
  });
  it('--top is honoured in every format', async () => {
    expect(
      (await run(['segment', goodFile, '--format', 'ndjson', '--top', '2'])).stdout.trim().split('\n'),
    ).toHaveLength(2);
    expect(
      JSON.parse((await run(['segment', goodFile, '--json', '--top', '1'])).stdout).results,
    ).toHaveLength(1);
  });
  it('--out writes the results to a file and nothing to stdout', async () => {
    const out = join(dir, 'out.csv');
    const r = await run(['segment', goodFile, '--format', 'csv', '--out', out]);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(readFileSync(out, 'utf8')).toMatch(/^customer,recencyDays/);
  });
  it('colours only a terminal, and never with NO_COLOR', async () => {
    const tty = await run(['segment', goodFile], { tty: true });
    expect(tty.stdout).toContain('\u001b[1m');
    const noColour = await run(['segment', goodFile], { tty: true, env: { NO_COLOR: '1' } });
    expect(noColour.stdout).not.toContain('\u001b');
    expect((await run(['segment', goodFile])).stdout).not.toContain('\u001b');
  });
  it('escapes control characters, ANSI escapes and bidi overrides from the data in text output', async () => {
    const nasty = [
      purchase('evil\nfake row', 1),
      purchase('\u001b[2J\u001b]0;pwned\u0007', 2),
      purchase('\u202Egnp.exe', 3),
    ];
    const r = await run(['clv', file('nasty.ndjson', nasty.join('\n')), '--as-of', '2025-02-01']);
    const unsafe = [...r.stdout].filter((c) => (c < ' ' && c !== '\n') || c === '\u202e');
    expect(unsafe).toEqual([]);
    expect(r.stdout).toContain('evil\\nfake row');
    expect(r.stdout).toContain('\\u001b[2J');
    expect(r.stdout).toContain('\\u202egnp.exe');
    expect(escapeControl('a\tb\u2066c')).toBe('a\\tb\\u2066c');
  });
  it('neutralises formula injection in CSV cells (= + - @ tab CR) and keeps numbers as numbers', async () => {
    expect(['=1+1', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx'].map(csvField)).toEqual([
      "'=1+1",
      "'+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\tx",
      `"'\rx"`,
    ]);
    expect(csvField(-5)).toBe('-5');
    const f = file('formula.ndjson', [purchase('=HYPERLINK("http://x","y")', 1)].join('\n'));
    const r = await run(['segment', f, '--format', 'csv']);
    expect(r.stdout.split('\r\n')[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/x"",""y""\)",/);
  });
});

describe('the executable', () => {
  it('ends quietly when the reader closes the pipe (EPIPE, e.g. | head -1)', () => {
    const rows = Array.from({ length: 20000 }, (_, i) => purchase(`c${i}`, 1 + (i % 28), 1 + (i % 50)));
    const big = file('big.ndjson', rows.join('\n'));
    const root = join(import.meta.dirname, '..', '..');
    const r = spawnSync(
      'bash',
      [
        '-c',
        `node --import tsx src/cli/index.ts segment "${big}" --format ndjson | head -1; exit \${PIPESTATUS[0]}`,
      ],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stdout.split('\n')[0]).toMatch(/^\{"customerId":"c0"/);
    // Warnings about the data may appear; an EPIPE error or stack trace must not.
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.status).toBe(0);
  }, 60_000);
});
