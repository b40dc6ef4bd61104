// CLI fuzzing worker (#18 "every CLI command"). Runs inside a worker_threads Worker (the parent's
// watchdog stops a hang). It imports the CLI's `main` from an esbuild bundle of src/cli/main.ts,
// writes small hostile files to a temp dir, and runs every command on every file in-process with
// captured stdout/stderr. Each run must: exit 0, 1 or 2; print no raw stack trace, no
// "TypeError"/"RangeError"/"unexpected error" on stderr; finish within the time cap.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const { bundlePath, casesPerFunction, only } = workerData;
const { main } = await import(bundlePath);
const post = (m) => parentPort.postMessage(m);

// ---------- hostile files ----------
const dir = mkdtempSync(join(tmpdir(), 'cv-clifuzz-'));
const day = (d) => `2024-0${1 + (d % 9)}-${String(1 + (d % 27)).padStart(2, '0')}T10:00:00Z`;
function csvRows(n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(fn(i));
  return out.join('\n');
}
const goodCsv = (n) =>
  `customerId,type,timestamp,value\n${csvRows(n, (i) => `c${i % 7},${['purchase', 'login', 'nps_response', 'ticket_opened', 'subscription_started'][i % 5]},${day(i)},${(i % 10) + 1}`)}\n`;
let deepJson = '1';
for (let i = 0; i < 20_000; i++) deepJson = `{"a":${deepJson}}`;
const FILES = {
  'good.csv': goodCsv(60),
  'bom.csv': `\uFEFF${goodCsv(30)}`,
  'bom.json': `\uFEFF${JSON.stringify([{ customerId: 'a', type: 'purchase', timestamp: '2024-03-01', value: 5 }])}`,
  'bom.ndjson': `\uFEFF{"customerId":"a","type":"purchase","timestamp":"2024-03-01","value":5}\n{"customerId":"b","type":"login","timestamp":"2024-03-02"}\n`,
  'dup-header.csv': `customerId,type,timestamp,value,value\n${csvRows(20, (i) => `c${i % 3},purchase,${day(i)},${i},${i * 2}`)}\n`,
  'proto-column.csv': `customerId,type,timestamp,__proto__,constructor\n${csvRows(20, (i) => `c${i % 3},purchase,${day(i)},${i},x`)}\n`,
  'proto-ids.csv': `customerId,type,timestamp,value\n${csvRows(20, (i) => `${['__proto__', 'constructor', 'toString'][i % 3]},${['purchase', 'valueOf', 'hasOwnProperty'][i % 3]},${day(i)},${i}`)}\n`,
  'control-ids.csv': `customerId,type,timestamp,value\n"a\nb",purchase,${day(1)},5\n\x1b[2Jclear,purchase,${day(2)},5\n\u202eevil,login,${day(3)},1\n\x1b]0;title\x07x,purchase,${day(4)},2\n"c1\r",purchase,${day(5)},1\n`,
  'deep-properties.csv': `customerId,type,timestamp,value,properties\nc1,purchase,${day(1)},5,"${deepJson.replaceAll('"', '""')}"\nc2,purchase,${day(2)},7,{}\n`,
  'deep-properties.ndjson': `{"customerId":"c1","type":"purchase","timestamp":"2024-03-01","value":5,"properties":${deepJson}}\n{"customerId":"c2","type":"login","timestamp":"2024-03-02"}\n`,
  'broken.ndjson': `{"customerId":"a","type":"purchase","timestamp":"2024-03-01","value":5}\n{"customerId":"b","type":\n[1,2]\nnull\n"x"\n{"customerId":"c","type":"login","timestamp":"2024-03-02"}\n{{{\n`,
  'huge-numbers.csv': `customerId,type,timestamp,value\nc1,purchase,${day(1)},1e308\nc1,purchase,${day(2)},1e400\nc2,purchase,1e20,5\nc2,purchase,-1e20,5\nc3,purchase,${day(3)},-1e308\nc3,purchase,179769313486231570000000000000000000000,5\nc4,purchase,${day(4)},NaN\nc4,purchase,${day(5)},Infinity\n`,
  'impossible-dates.csv': `customerId,type,timestamp,value\nc1,purchase,2025-02-30,5\nc1,purchase,+275760-09-13T00:00:00Z,5\nc2,purchase,-271821-04-20,5\nc2,purchase,someday,5\nc3,purchase,2024-13-01,5\nc3,purchase,${day(1)},5\n`,
  'empty.csv': '',
  'empty.ndjson': '',
  'header-only.csv': 'customerId,type,timestamp,value\n',
  'one-row.csv': `customerId,type,timestamp,value\nc1,purchase,${day(1)},5\n`,
  'one-row.json': JSON.stringify([{ customerId: 'c1', type: 'purchase', timestamp: '2024-03-01', value: 5 }]),
  'not-an-array.json': '{"customerId":"c1"}',
  'long-id.csv': `customerId,type,timestamp,value\n${'y'.repeat(100_000)},purchase,${day(1)},5\nc2,purchase,${day(2)},5\n`,
  'mapping-bad.json': '{"fields":{"customerId":{}}}',
  'mapping-bom.json': '\uFEFF{"fields":{"customerId":"customerId"}}',
  'profiles-bad.csv': 'customerId,seats,mrr\nc1,abc,-5\n,3,4\nc2,1e400,NaN\n',
};
for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
const f = (name) => join(dir, name);

const COMMANDS = ['validate', 'infer', 'health', 'churn', 'clv', 'segment', 'metrics', 'report'];
const DATA = Object.keys(FILES).filter((n) => !n.startsWith('mapping-') && !n.startsWith('profiles-'));
// Extra flag sets, tried on good.csv (and, in longer runs, on the other files).
const FLAGS = [
  ['--json'],
  ['--as-of', '2025-02-30'],
  ['--as-of', '+275760-09-13'],
  ['--as-of', '1900-01-01'],
  ['--top', 'abc'],
  ['--top', '-1'],
  ['--top', '1e400'],
  ['--format', 'csv'],
  ['--format', 'nonsense'],
  ['--mapping', f('mapping-bad.json')],
  ['--mapping', f('mapping-bom.json')],
  ['--mapping', f('missing.json')],
  ['--profiles', f('profiles-bad.csv')],
  ['--delimiter', ''],
  ['--max-rejected', 'NaN'],
  ['--no-such-flag'],
];

const cases = [];
for (const cmd of COMMANDS) {
  for (const file of DATA) cases.push([cmd, f(file)]);
  for (const flags of FLAGS) cases.push([cmd, f('good.csv'), ...flags]);
  // Longer runs: flag sets on the hostile files too.
  const extra = Math.max(0, casesPerFunction - 20);
  for (let k = 0; k < extra && k < DATA.length * FLAGS.length; k++)
    cases.push([cmd, f(DATA[k % DATA.length]), ...FLAGS[Math.floor(k / DATA.length) % FLAGS.length]]);
}
const CAP_MS = { report: 10_000, churn: 5000, clv: 5000 };
// Text output (tables) must not carry terminal escapes or bidi overrides from the data.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const RAW_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]/;
post({ type: 'targets', names: COMMANDS.map((c) => `cli ${c}`) });
for (const cmd of COMMANDS) {
  const name = `cli ${cmd}`;
  if (only && !only.includes(name)) continue;
  let n = 0;
  for (const argv of cases) {
    if (argv[0] !== cmd) continue;
    const desc = `customer-vitals ${argv.map((a) => (a.startsWith(dir) ? a.slice(dir.length + 1) : a)).join(' ')}`;
    post({ type: 'case', name, desc });
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: {
        isTTY: false,
        write: (t) => {
          stdout += t;
        },
      },
      stderr: {
        isTTY: false,
        write: (t) => {
          stderr += t;
        },
      },
      stdin: undefined,
      env: {},
    };
    const t0 = performance.now();
    let code;
    try {
      code = await main(argv, io);
    } catch (e) {
      post({ type: 'failure', name, desc, problem: `main rejected: ${String(e?.stack ?? e).slice(0, 300)}` });
    }
    const ms = performance.now() - t0;
    if (code !== undefined && ![0, 1, 2].includes(code))
      post({ type: 'failure', name, desc, problem: `exit code ${code}` });
    const raw = /\bTypeError\b|\bRangeError\b|\bReferenceError\b|unexpected error|\n\s+at .+:\d+:\d+/.exec(
      stderr,
    );
    if (raw) {
      const at = Math.max(0, raw.index - 160);
      post({
        type: 'failure',
        name,
        desc,
        problem: `raw error on stderr (exit ${code}): ${JSON.stringify(stderr.slice(at, raw.index + 200))}`,
      });
    }
    if (RAW_CONTROL.test(stderr))
      post({ type: 'failure', name, desc, problem: 'unescaped control/bidi character on stderr' });
    const textOut = !argv.includes('--json') && !argv.includes('--format') && cmd !== 'report';
    if (textOut && RAW_CONTROL.test(stdout.replace(/\r?\n|\t/g, '')))
      post({ type: 'failure', name, desc, problem: 'unescaped control/bidi character in the text output' });
    const cap = CAP_MS[cmd] ?? 2000;
    if (ms > cap) post({ type: 'failure', name, desc, problem: `took ${ms.toFixed(0)} ms (cap ${cap} ms)` });
    n++;
  }
  post({ type: 'done', name, cases: n });
}
rmSync(dir, { recursive: true, force: true });
post({ type: 'finished' });
