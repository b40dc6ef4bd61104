// Fuzzing worker (#18). Runs inside a worker_threads Worker so that a hang can be stopped by the
// parent's watchdog. It imports the library as one esbuild bundle (built by the parent from src/),
// generates hostile inputs with fast-check (seeded), calls every public function and reports.
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';

const { bundlePath, seed, casesPerFunction, only } = workerData;
const api = await import(bundlePath);
const post = (m) => parentPort.postMessage(m);

// ---------- hostile values ----------
const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'];
const TYPES = [
  'login',
  'purchase',
  'refund',
  'ticket_opened',
  'ticket_resolved',
  'nps_response',
  'csat_response',
  'ces_response',
  'feature_used',
  'subscription_started',
  'subscription_changed',
  'subscription_cancelled',
  'invoice_paid',
  'payment_failed',
  'seats_changed',
  'feedback',
  ...PROTO_KEYS,
  '',
  ' ',
  'x'.repeat(300),
];

function deep(n) {
  let o = { leaf: 1 };
  for (let i = 0; i < n; i++) o = { a: o };
  return o;
}
function circular() {
  const o = { a: 1 };
  o.self = o;
  return o;
}
const weirdString = fc.oneof(
  fc.constantFrom('', ' ', 'NA', '(blank)', 'null', '\u202eevil', '\x1b[2J', 'a\nb', 'é', '𝔘', ...PROTO_KEYS),
  fc.string({ maxLength: 12 }),
  fc.constant('y'.repeat(100_000)),
);
const weirdNumber = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    0.5,
    NaN,
    Infinity,
    -Infinity,
    1e308,
    -1e308,
    5e-324,
    8.64e15,
    8.64e15 + 1,
    1e20,
    Number.MAX_SAFE_INTEGER,
    1735787045,
    1735787045123456,
  ),
  fc.double({ noNaN: false }),
  fc.integer({ min: -1000, max: 1000 }),
);
const weirdDate = fc.oneof(
  fc.constantFrom(
    '2025-02-30T00:00:00Z',
    '2025-04-31',
    '+275760-09-13T00:00:00Z',
    '-271821-04-20',
    '1969-12-31',
    '2200-01-01',
    'someday',
    '',
    new Date(NaN),
    new Date(0),
    1e20,
    -1e20,
    Number.MAX_VALUE,
  ),
  fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2025, 0, 1) }),
);
const goodTime = fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2024, 11, 31) });
const anyScalar = fc.oneof(
  weirdNumber,
  weirdString,
  weirdDate,
  fc.constantFrom(null, undefined, true, false, 10n, Symbol.iterator),
);
const hostile = fc.oneof(
  { weight: 3, arbitrary: anyScalar },
  fc.constantFrom(
    {},
    [],
    [null],
    [undefined],
    deep(3000),
    circular(),
    Object.create(null),
    new Map(),
    new Date(0),
    [[]],
  ),
  fc.array(anyScalar, { maxLength: 5 }),
  fc.dictionary(fc.constantFrom(...PROTO_KEYS, 'a', 'customerId', 'score'), anyScalar, { maxKeys: 4 }),
);
const event = fc.record(
  {
    customerId: fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom('c1', 'c2', 'c3', '__proto__', 'constructor') },
      weirdString,
      anyScalar,
    ),
    type: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...TYPES) }, anyScalar),
    timestamp: fc.oneof({ weight: 5, arbitrary: goodTime }, weirdDate),
    value: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 500 }) }, weirdNumber, anyScalar),
    userId: fc.oneof(fc.constantFrom('u1', 'u2'), weirdString),
    eventId: fc.oneof(fc.constantFrom('e1', 'e2', 'e3'), weirdString),
    properties: fc.oneof(
      fc.record(
        {
          score: weirdNumber,
          feature: weirdString,
          ticketId: fc.constantFrom('t1', 't2'),
          mrr: weirdNumber,
          seats: weirdNumber,
          plan: weirdString,
          priority: fc.constantFrom('high', 'low', 'urgent'),
          text: weirdString,
        },
        { requiredKeys: [] },
      ),
      fc.constantFrom(deep(20_000), circular(), null, 'x'),
    ),
  },
  { requiredKeys: [] },
);
const goodEvent = fc.record({
  customerId: fc.constantFrom('c1', 'c2', 'c3', 'c4'),
  type: fc.constantFrom('login', 'purchase', 'refund', 'ticket_opened', 'nps_response', 'feature_used'),
  timestamp: goodTime,
  value: fc.integer({ min: 0, max: 10 }),
});
const row = fc.record(
  {
    customerId: fc.constantFrom('a', 'b', 'c'),
    features: fc.dictionary(
      fc.constantFrom('x', 'y', 'plan', ...PROTO_KEYS),
      fc.oneof(weirdNumber, weirdString, fc.constant(null)),
      { maxKeys: 3 },
    ),
    churned: fc.oneof(fc.boolean(), anyScalar),
    frequency: weirdNumber,
    recency: weirdNumber,
    T: weirdNumber,
    monetaryValue: weirdNumber,
    score: weirdNumber,
    probability: weirdNumber,
    outcome: fc.boolean(),
    group: fc.constantFrom('A', 'B'),
  },
  { requiredKeys: [] },
);
// Mappings (the mapping language of compileMapping / parseEvents): well-formed skeletons with hostile leaves, and expressions nested
// a few levels with arguments of every kind (a list where a column is expected, a number where a list is).
// The expression kinds, and one that does not exist (min).
const EXPR_OPS = 'abs cases coalesce concat const lower min negate number product sum trim upper'.split(' ');
const column = fc.constantFrom(
  'customerId',
  'type',
  'timestamp',
  'value',
  'properties.score',
  'x',
  '',
  '__proto__',
);
const { expr } = fc.letrec((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: column },
    { weight: 2, arbitrary: anyScalar },
    fc
      .tuple(
        fc.oneof(weirdString, fc.record({ field: column, op: weirdString, value: anyScalar })),
        tie('expr'),
      )
      // A cases branch { when, then } (built from entries: a literal "then" key reads as a thenable to lint).
      .map((branch) =>
        Object.fromEntries([
          ['when', branch[0]],
          ['then', branch[1]],
        ]),
      ),
    fc
      .tuple(
        fc.constantFrom(...EXPR_OPS),
        fc.oneof(tie('expr'), fc.array(tie('expr'), { maxLength: 3 }), hostile),
      )
      .map(([op, arg]) => ({ [op]: arg })),
  ),
}));
const mapping = fc.record(
  {
    fields: fc.oneof(
      fc.dictionary(
        fc.constantFrom('customerId', 'type', 'timestamp', 'value', 'properties', 'eventId', 'custmerId'),
        fc.oneof(column, anyScalar),
        { maxKeys: 4 },
      ),
      hostile,
    ),
    derive: fc.oneof(
      fc.dictionary(
        fc.constantFrom('value', 'type', 'customerId', 'properties.country', 'timestamp', '__proto__'),
        expr,
        { maxKeys: 3 },
      ),
      hostile,
    ),
    types: fc.oneof(
      fc.dictionary(weirdString, fc.oneof(fc.constantFrom(...TYPES), anyScalar), { maxKeys: 3 }),
      hostile,
    ),
    timestamp: fc.oneof(
      fc.record(
        {
          format: fc.oneof(fc.constantFrom('yyyyMMdd', 'M/d/yyyy H:mm', 'x'), weirdString),
          timeZone: fc.oneof(fc.constantFrom('Europe/London', 'Mars/Base'), weirdString),
        },
        { requiredKeys: [] },
      ),
      hostile,
    ),
    placeholderIds: fc.oneof(fc.array(anyScalar, { maxLength: 3 }), hostile),
    aggregate: fc.oneof(
      fc.record(
        { by: column, value: fc.oneof(fc.constantFrom('sum', 'first', 'max'), anyScalar) },
        { requiredKeys: [] },
      ),
      hostile,
    ),
  },
  { requiredKeys: [] },
);
const firstArg = fc.oneof(
  { weight: 1, arbitrary: mapping },
  { weight: 3, arbitrary: fc.array(fc.oneof({ weight: 3, arbitrary: goodEvent }, event), { maxLength: 40 }) },
  { weight: 2, arbitrary: fc.array(row, { maxLength: 30 }) },
  { weight: 2, arbitrary: hostile },
  { weight: 1, arbitrary: fc.array(weirdNumber, { maxLength: 30 }) },
  { weight: 1, arbitrary: weirdString },
);
const options = fc.oneof(
  fc.constant(undefined),
  fc.record({ asOf: fc.oneof({ weight: 3, arbitrary: fc.constant(Date.UTC(2025, 0, 1)) }, weirdDate) }),
  fc.record({ asOf: fc.constant(Date.UTC(2025, 0, 1)), seed: fc.oneof(fc.integer(), weirdString) }),
  fc.record({ asOf: fc.constant(Date.UTC(2025, 0, 1)), mapping }),
  hostile,
);
const args = fc.tuple(firstArg, options, fc.oneof(fc.constant(undefined), hostile));

// ---------- checks ----------
// Objects reachable from the input: a result may pass them through by reference (events, rows);
// numbers inside them are the caller's, not ours.
function collectInputObjects(value, into, depth) {
  if (value === null || typeof value !== 'object' || depth > 6 || into.has(value)) return into;
  into.add(value);
  const keys = Array.isArray(value) ? value.keys() : Object.keys(value);
  let i = 0;
  for (const k of keys) {
    if (i++ > 200) break;
    collectInputObjects(value[k], into, depth + 1);
  }
  return into;
}
function findNonFinite(value, path, seen, depth) {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (value === null || typeof value !== 'object' || depth > 8 || seen.has(value)) return null;
  seen.add(value);
  if (value instanceof Map) {
    let i = 0;
    for (const [k, v] of value) {
      if (i++ > 200) break;
      const p = findNonFinite(v, `${path}.get(${String(k)})`, seen, depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (ArrayBuffer.isView(value)) {
    const n = Math.min(value.length, 5000);
    for (let i = 0; i < n; i++)
      if (typeof value[i] === 'number' && !Number.isFinite(value[i])) return `${path}[${i}]`;
    return null;
  }
  const keys = Array.isArray(value) ? value.keys() : Object.keys(value);
  let i = 0;
  for (const k of keys) {
    if (i++ > 500) break;
    if (k === 'row') continue; // a rejected row as received: the caller's value, echoed
    const p = findNonFinite(value[k], `${path}.${String(k)}`, seen, depth + 1);
    if (p) return p;
  }
  return null;
}
function describeValue(v, depth = 0) {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…(${v.length})` : v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v === null || typeof v !== 'object') return String(v);
  if (depth > 2) return '…';
  if (v instanceof Date) return `Date(${v.getTime()})`;
  if (Array.isArray(v))
    return `[${v
      .slice(0, 4)
      .map((x) => describeValue(x, depth + 1))
      .join(', ')}${v.length > 4 ? `, …${v.length}` : ''}]`;
  const ks = Object.keys(v).slice(0, 6);
  return `{${ks.map((k) => `${k}: ${describeValue(v[k], depth + 1)}`).join(', ')}}`;
}

// ---------- targets ----------
function isClass(f) {
  return /^class[\s{]/.test(Function.prototype.toString.call(f));
}
const targets = [];
for (const [name, v] of Object.entries(api)) {
  if (typeof v !== 'function') continue;
  if (only && !only.includes(name)) continue;
  if (isClass(v)) {
    if (name.endsWith('Error')) continue;
    if (typeof v.fromJSON === 'function') targets.push([`${name}.fromJSON`, (a) => v.fromJSON(a)]);
    continue;
  }
  targets.push([name, v]);
}
post({ type: 'targets', names: targets.map((t) => t[0]) });

const isVitalsError = (e) => e instanceof api.VitalsError;
for (const [name, fn] of targets) {
  const samples = fc.sample(args, {
    seed: seed + name.length * 7919 + name.charCodeAt(0),
    numRuns: casesPerFunction,
  });
  // The cap is for small inputs. The sample generators build a data set of their default size
  // whatever they are given (generateSaasEvents: ~260,000 events, 1.4 s on an idle core), so they
  // get 10 s.
  const capMs = name.startsWith('generate') ? 10_000 : 2000;
  let i = 0;
  for (const [a, o, b] of samples) {
    const desc = `${name}(${describeValue(a)}, ${describeValue(o)}${b === undefined ? '' : `, ${describeValue(b)}`})`;
    post({ type: 'case', name, i, desc });
    const t0 = performance.now();
    let result;
    let error;
    try {
      result = fn(a, o, b);
      if (result && typeof result.then === 'function') result = await result;
    } catch (e) {
      error = e;
    }
    const ms = performance.now() - t0;
    if (error !== undefined && !isVitalsError(error)) {
      post({
        type: 'failure',
        name,
        desc,
        problem: `threw ${error?.name ?? typeof error}: ${String(error?.message ?? error).slice(0, 300)}`,
      });
    } else if (error === undefined) {
      const inputs = collectInputObjects([a, o, b], new Set(), 0);
      const bad = findNonFinite(result, 'result', inputs, 0);
      if (bad) post({ type: 'failure', name, desc, problem: `non-finite number at ${bad}` });
    } else if (
      !String(error.message).startsWith(`${name.split('.')[0]}`) &&
      !String(error.message).includes(':')
    ) {
      post({
        type: 'failure',
        name,
        desc,
        problem: `VitalsError without a located message: ${error.message}`,
      });
    }
    if (ms > capMs)
      post({ type: 'failure', name, desc, problem: `took ${ms.toFixed(0)} ms (cap ${capMs} ms)` });
    i++;
  }
  post({ type: 'done', name, cases: i });
}
post({ type: 'finished' });
