/**
 * Compact encoding of the customer table for the HTML file (a report for 100k customers stays
 * under 5 MB): small integers as two characters of a 64-letter alphabet (4,096 values, the last one
 * meaning null), codes as one character, ids as one newline-joined string without their common
 * prefix. `CLIENT_DECODE` is the matching decoder in the page.
 * @internal
 */
import type { CustomerTable } from './types';

const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const NULL2 = 4095;

function two(v: number | null, offset: number, scale: number): string {
  const k = v === null ? NULL2 : Math.max(0, Math.min(NULL2 - 1, Math.round(v * scale) + offset));
  return (A[k >> 6] as string) + (A[k & 63] as string);
}

function one(code: number): string {
  return A[Math.max(0, Math.min(63, code + 1))] as string;
}

/** The table packed for embedding. */
export interface PackedTable {
  n: number;
  idPrefix: string;
  ids: string;
  score: string;
  churn: string;
  clv: (number | null)[];
  band: string;
  segment: string;
  plan: string;
  history: string;
  drivers: string;
  bandNames: string[];
  segmentNames: string[];
  planNames: string[];
  driverNames: string[];
  historyDates: number[];
  driversPerCustomer: number;
}

function commonPrefix(ids: readonly string[]): string {
  if (ids.length < 2) return '';
  let p = ids[0] as string;
  for (const id of ids) {
    let k = 0;
    while (k < p.length && k < id.length && p.charCodeAt(k) === id.charCodeAt(k)) k++;
    p = p.slice(0, k);
    if (p === '') break;
  }
  return p;
}

/** Packs the table; ids containing a newline are escaped by the JSON of the whole (they cannot split). */
export function packTable(t: CustomerTable): PackedTable {
  const prefix = commonPrefix(t.ids);
  // A newline inside an id would split it: such ids are kept whole by replacing \n with U+2028-free escape.
  const ids = t.ids
    .map((id) => id.slice(prefix.length).replace(/\\/g, '\\\\').replace(/\n/g, '\\n'))
    .join('\n');
  let score = '';
  let churn = '';
  let band = '';
  let segment = '';
  let plan = '';
  for (let i = 0; i < t.ids.length; i++) {
    score += two(t.score[i] ?? null, 0, 10);
    churn += two(t.churn[i] ?? null, 0, 10);
    band += one(t.band[i] ?? -1);
    segment += one(t.segment[i] ?? -1);
    plan += one(t.plan[i] ?? -1);
  }
  let history = '';
  for (const v of t.history) history += two(v, 0, 1);
  let drivers = '';
  for (let k = 0; k < t.drivers.length; k += 2) {
    const code = t.drivers[k] as number;
    drivers +=
      code < 0
        ? two(null, 0, 1) + two(0, 2048, 1)
        : two(code, 0, 1) + two(t.drivers[k + 1] as number, 2048, 1);
  }
  return {
    n: t.ids.length,
    idPrefix: prefix,
    ids,
    score,
    churn,
    clv: t.clv,
    band,
    segment,
    plan,
    history,
    drivers,
    bandNames: t.bandNames,
    segmentNames: t.segmentNames,
    planNames: t.planNames,
    driverNames: t.driverNames,
    historyDates: t.historyDates,
    driversPerCustomer: t.driversPerCustomer,
  };
}

/** Page-side decoder: `unpack(packed)` returns the plain {@link CustomerTable} arrays. */
export const CLIENT_DECODE = `
  function unpack(p) {
    var A = '${A}', idx = {};
    for (var a = 0; a < 64; a++) idx[A.charAt(a)] = a;
    function two(s, k, offset, scale) { var v = idx[s.charAt(2 * k)] * 64 + idx[s.charAt(2 * k + 1)]; return v === 4095 ? null : (v - offset) / scale; }
    function ones(s) { var out = new Array(s.length); for (var k = 0; k < s.length; k++) out[k] = idx[s.charAt(k)] - 1; return out; }
    function twos(s, offset, scale) { var m = s.length / 2, out = new Array(m); for (var k = 0; k < m; k++) out[k] = two(s, k, offset, scale); return out; }
    var ids = p.n === 0 ? [] : p.ids.split('\\n').map(function (x) { return p.idPrefix + x.replace(/\\\\(n|\\\\)/g, function (_, c) { return c === 'n' ? '\\n' : '\\\\'; }); });
    var drivers = [], m = p.drivers.length / 4;
    for (var k = 0; k < m; k++) { var code = two(p.drivers, 2 * k, 0, 1); drivers.push(code === null ? -1 : code, two(p.drivers, 2 * k + 1, 2048, 1)); }
    return { ids: ids, score: twos(p.score, 0, 10), churn: twos(p.churn, 0, 10), clv: p.clv, band: ones(p.band), segment: ones(p.segment), plan: ones(p.plan),
      history: twos(p.history, 0, 1), drivers: drivers, bandNames: p.bandNames, segmentNames: p.segmentNames, planNames: p.planNames,
      driverNames: p.driverNames, historyDates: p.historyDates, driversPerCustomer: p.driversPerCustomer };
  }
`;
