import { checkOptions, optionError } from '../_lib/errors';
import { esc } from './_charts';
import { checkReportData } from './_checkReportData';
import { CLIENT_JS } from './_client';
import { day, num } from './_html';
import { packTable } from './_pack';
import { CSS } from './_pageCss';
import { churnBody, healthBody, moversBody, overviewBody, revenueBody, riskyBody } from './_renderSections';
import { clustersBody, clvBody, cohortsBody, rfmBody, survivalBody } from './_renderValueSections';
import type { CustomerTable, DriverView, ReportData, Section } from './types';

/** Options of {@link renderReport}. */
export interface RenderReportOptions {
  /** ISO 4217 currency for money figures (CLV). @default none (plain numbers) */
  currency?: string;
  /**
   * A synchronous raw-DEFLATE compressor (RFC 1951, no zlib or gzip header). When given, the
   * customer table is embedded as base64 of `compress(UTF-8 JSON)` and the page inflates it with
   * `DecompressionStream('deflate-raw')` (Chromium 103+, Firefox 113+, Safari 16.4+; older browsers
   * show a message instead of the table, the sections stay). Meant for large reports: with
   * 36-character UUID ids, 100,000 customers take about 2.9 MB instead of 7.1 MB. In Node:
   * `(b) => zlib.deflateRawSync(b)`. @default none (plain JSON, readable in any browser)
   */
  compress?: (bytes: Uint8Array) => Uint8Array;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (with padding) of bytes; runs in any runtime. */
function base64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 4096;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    let out = '';
    let i = start;
    for (; i + 2 < end; i += 3) {
      const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
      out += (B64[v >> 18] as string) + B64[(v >> 12) & 63] + B64[(v >> 6) & 63] + B64[v & 63];
    }
    if (i < end) {
      const a = bytes[i] as number;
      const b = i + 1 < end ? (bytes[i + 1] as number) : 0;
      const v = (a << 16) | (b << 8);
      out += (B64[v >> 18] as string) + B64[(v >> 12) & 63] + (i + 1 < end ? B64[(v >> 6) & 63] : '=') + '=';
    }
    parts.push(out);
  }
  return parts.join('');
}

/** The customer-table data block: plain JSON, or base64 of raw DEFLATE when a compressor is given. */
function dataBlock(payload: unknown, compress: RenderReportOptions['compress']): string {
  if (compress === undefined) {
    return `<script type="application/json" id="cv-customers">${scriptJson(payload)}</script>`;
  }
  let packed: unknown;
  try {
    packed = compress(new TextEncoder().encode(JSON.stringify(payload)));
  } catch (e) {
    throw optionError('renderReport', 'compress', `threw: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!(packed instanceof Uint8Array) || packed.length === 0) {
    throw optionError('renderReport', 'compress', 'must return a non-empty Uint8Array (raw DEFLATE bytes)');
  }
  return `<script type="application/octet-stream" id="cv-customers" data-encoding="deflate-raw;base64">${base64(packed)}</script>`;
}

/** The sections in page order, with their headings. */
export const REPORT_SECTIONS = [
  ['overview', 'Overview'],
  ['revenue', 'Revenue and retention'],
  ['health', 'Health bands'],
  ['risky', 'Riskiest customers'],
  ['movers', 'Who moved'],
  ['churn', 'Churn model'],
  ['survival', 'Retention curves by plan'],
  ['clv', 'Customer lifetime value'],
  ['rfm', 'RFM segments'],
  ['clusters', 'Clusters'],
  ['cohorts', 'Cohort retention'],
] as const;

type SectionId = (typeof REPORT_SECTIONS)[number][0];

function section<T>(id: SectionId, heading: string, s: Section<T>, body: (data: T) => string): string {
  if (!s.available) {
    return `<section id="${id}" data-available="false" aria-labelledby="${id}-h"><h2 id="${id}-h">${esc(heading)}</h2><p class="reason">Not shown: ${esc(s.reason)}</p></section>`;
  }
  return `<section id="${id}" data-available="true" aria-labelledby="${id}-h"><h2 id="${id}-h">${esc(heading)}</h2>${body(s.data)}</section>`;
}

/** JSON safe inside a `<script>` element (no `</script>`, no U+2028/2029). */
function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Renders a report as one self-contained HTML page: inline CSS, inline SVG charts (each with a text
 * alternative), inline data and one small script for the customer table (filter by band, segment,
 * plan and id; sort; 50 rows a page; click a customer for their score history and drivers). A
 * Content-Security-Policy forbids every network request, so the file works offline and customer
 * data never leaves it. Sections whose data is absent show the reason instead.
 *
 * Charts are hand-written SVG (see the report docs for why not Observable Plot: 417 KB minified
 * with d3). Colours are the Okabe–Ito palette; the page prints cleanly (controls hidden).
 *
 * Missing-data policy: an absent section (`available: false`) renders its heading and reason only.
 *
 * @param data the output of `buildReportData` (optionally `pseudonymiseReport`ed).
 * @param options currency; compress (raw-DEFLATE compressor for large reports).
 * @returns the HTML document as a string.
 * @throws ValidationError on unknown options.
 * @example
 * ```ts
 * const html = renderReport(buildReportData(events, { asOf: '2025-06-01' }));
 * html.startsWith('<!doctype html>'); // => true
 * ```
 */
export function renderReport(data: ReportData, options: RenderReportOptions = {}): string {
  checkOptions('renderReport', options, ['currency', 'compress']);
  if (options.compress !== undefined && typeof options.compress !== 'function') {
    throw optionError(
      'renderReport',
      'compress',
      'must be a function (bytes: Uint8Array) => Uint8Array',
      'invalid_type',
    );
  }
  checkReportData(data, 'renderReport');
  const money = (v: number) =>
    options.currency
      ? v.toLocaleString('en-US', { style: 'currency', currency: options.currency, maximumFractionDigits: 0 })
      : num(v);
  const parts = [
    section('overview', 'Overview', data.overview, overviewBody),
    section('revenue', 'Revenue and retention', data.revenue, revenueBody),
    section('health', 'Health bands', data.health, healthBody),
    section('risky', 'Riskiest customers', data.risky, riskyBody),
    section('movers', 'Who moved', data.movers, moversBody),
    section('churn', 'Churn model', data.churn, churnBody),
    section('survival', 'Retention curves by plan', data.survival, survivalBody),
    section('clv', 'Customer lifetime value', data.clv, (d) => clvBody(d, money)),
    section('rfm', 'RFM segments', data.rfm, rfmBody),
    section('clusters', 'Clusters', data.clusters, clustersBody),
    section('cohorts', 'Cohort retention', data.cohorts, cohortsBody),
  ];

  // Sentences for the customers named in the sections; other customers show driver labels and points.
  const details: Record<string, DriverView[]> = Object.create(null);
  if (data.risky.available) for (const c of data.risky.data.customers) details[c.id] = c.drivers;
  const t = data.customers;
  const table = customersSection(t);
  const warnings = data.warnings.length
    ? `<section id="warnings" aria-labelledby="warnings-h"><h2 id="warnings-h">Warnings</h2><ul class="warnings">${data.warnings.map((w) => `<li><code>${esc(w.code)}</code> ${esc(w.message)}</li>`).join('')}</ul></section>`
    : '';
  const nav = `<nav aria-label="Sections"><ul>${REPORT_SECTIONS.map(([id, h]) => `<li><a href="#${id}">${esc(h)}</a></li>`).join('')}<li><a href="#customers">All customers</a></li></ul></nav>`;
  const src = data.source;
  const meta = `As of ${day(data.asOf)} · ${num(src.customers)} customers · ${num(src.events)} events${src.from !== null && src.to !== null ? ` from ${day(src.from)} to ${day(src.to)}` : ''}${data.pseudonymised ? ' · customer ids pseudonymised (keyed hash)' : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(data.title)}</title>
<style>${CSS}</style></head>
<body><header><h1>${esc(data.title)}</h1><p class="meta">${esc(meta)}</p>${nav}</header>
<main>${parts.join('\n')}
${table}
${warnings}
<p class="meta">Generated by customer-vitals. This file makes no network request; its data stays in the file.</p></main>
${dataBlock({ packed: packTable(t), details }, options.compress)}
<script>${CLIENT_JS}</script>
</body></html>
`;
}

/** The "All customers" section: the controls and the empty table the page's script fills. */
function customersSection(t: CustomerTable): string {
  const th = (key: string, label: string, numeric = false) =>
    `<th data-key="${key}"${numeric ? ' class="num"' : ''} aria-sort="none"><button type="button">${label}</button></th>`;
  const any = (xs: readonly (number | null)[]) => xs.some((x) => x !== null);
  // Columns without any data (no RFM for SaaS data, no plan without profiles) are left out.
  const headers = [
    th('id', 'customer'),
    th('score', 'health', true),
    t.bandNames.length ? th('band', 'band') : '',
    t.segmentNames.length ? th('segment', 'segment') : '',
    t.planNames.length ? th('plan', 'plan') : '',
    any(t.churn) ? th('churn', 'churn risk', true) : '',
    any(t.clv) ? th('clv', 'CLV', true) : '',
  ].join('');
  const table = `<section id="customers" aria-labelledby="customers-h"><h2 id="customers-h">All customers</h2>
<noscript><p class="reason">The interactive table needs JavaScript; every figure above is static.</p></noscript>
<div class="controls" role="search"><label>Search id<input id="cv-search" type="search" autocomplete="off"></label>
<label>Band<select id="cv-band"><option value="">all</option></select></label>
<label>Segment<select id="cv-segment"><option value="">all</option></select></label>
<label>Plan<select id="cv-plan"><option value="">all</option></select></label></div>
<table id="cv-table"><caption class="sr">Customers; activate a column header to sort, a customer to see details</caption><thead><tr>
${headers}</tr></thead>
<tbody id="cv-rows"></tbody></table>
<div class="pager"><button type="button" id="cv-prev">Previous</button> <span id="cv-info" aria-live="polite"></span> <button type="button" id="cv-next">Next</button></div>
<div id="cv-detail" tabindex="-1" hidden aria-live="polite"></div></section>`;
  return table;
}
