import { checkOptions, optionError } from '../_lib/errors';
import { bandColour, barChart, esc, heatmap, lineChart, PALETTE, stackedBars } from './_charts';
import { checkReportData } from './_checkReportData';
import { CLIENT_JS } from './_client';
import { packTable } from './_pack';
import type { DriverView, ReportData, Section } from './types';

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

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const month = (t: number) => new Date(t).toISOString().slice(0, 7);
const num = (v: number, d = 0) =>
  v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const pct = (v: number, d = 0) => `${num(100 * v, d)}%`;

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

function figure(svg: string, caption: string): string {
  return `<figure>${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

/** Drivers as sentences, each with a contribution bar scaled to the largest (bars are decorative: the points are in the text). */
function driverList(drivers: DriverView[]): string {
  const max = Math.max(1, ...drivers.map((d) => Math.abs(d.impact)));
  return `<ul class="drivers">${drivers
    .map(
      (d) =>
        `<li><span class="bar ${d.impact < 0 ? 'neg' : 'pos'}" style="width:${Math.max(2, Math.round((Math.abs(d.impact) / max) * 120))}px" aria-hidden="true"></span><span>${esc(d.sentence)} <span class="pts ${d.impact < 0 ? 'neg' : 'pos'}">${d.impact > 0 ? '+' : ''}${num(d.impact, 1)}</span></span></li>`,
    )
    .join('')}</ul>`;
}

function custButton(id: string): string {
  return `<button type="button" class="cust-link" data-id="${esc(id)}">${esc(id)}</button>`;
}

/** JSON safe inside a `<script>` element (no `</script>`, no U+2028/2029). */
function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const CSS = `
:root{--fg:#1a1a1a;--muted:#555;--line:#ddd;--bg:#fff;--accent:#0072B2}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0}
header,main{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:24px;border-bottom:1px solid var(--line)}
h1{margin:0 0 4px;font-size:26px}h2{font-size:20px;margin:0 0 12px}h3{font-size:16px;margin:12px 0 4px}h4{font-size:14px;margin:10px 0 4px}
.meta{color:var(--muted);margin:0 0 12px}
nav ul{list-style:none;padding:0;margin:0 0 12px;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:14px}
a{color:var(--accent)}
section{padding:20px 0;border-bottom:1px solid var(--line);break-inside:avoid-page}
.reason{color:var(--muted);font-style:italic}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px}
.kpi{border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.kpi .v{font-size:24px;font-weight:600}.kpi .l{font-size:13px;color:var(--muted)}.kpi .d{font-size:12px;color:var(--muted)}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:16px}
figure{margin:0;max-width:720px}figcaption{font-size:13px;color:var(--muted)}
svg.chart{max-width:100%;height:auto;display:block}
svg.bars{max-width:360px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
.controls{display:flex;flex-wrap:wrap;gap:10px;align-items:end;margin-bottom:8px}
.controls label{display:flex;flex-direction:column;font-size:13px}
input,select,button{font:inherit}
button.cust,button.cust-link{background:none;border:0;padding:0;color:var(--accent);text-decoration:underline;cursor:pointer}
:focus-visible{outline:3px solid #E69F00;outline-offset:2px}
.customer{border:1px solid var(--line);border-radius:6px;padding:4px 12px;margin:6px 0}.customer h3{margin:6px 0 2px}
.scroll{overflow-x:auto}
.sentences{margin:4px 0;padding-left:20px}
.pts{font-variant-numeric:tabular-nums;font-size:13px}.pts.neg{color:#B34700}.pts.pos{color:#00704F}
#cv-detail{border:2px solid var(--accent);border-radius:6px;padding:8px 14px;margin-top:12px}
.drivers{list-style:none;padding:0}.drivers li{display:flex;gap:8px;align-items:center;margin:3px 0}
.bar{display:inline-block;height:10px}.bar.neg{background:#D55E00}.bar.pos{background:#009E73}
td[data-band="at risk"]{color:#B34700}td[data-band=healthy]{color:#00704F}
.warnings li{margin:2px 0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media print{nav,.controls,.pager,#cv-detail,noscript{display:none!important}section{break-inside:avoid}body{font-size:12px}a{color:inherit}}
`;

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
  const parts: string[] = [];
  parts.push(
    section(
      'overview',
      'Overview',
      data.overview,
      (d) =>
        `<div class="kpis">${d.kpis.map((k) => `<div class="kpi"><div class="l">${esc(k.label)}</div><div class="v">${esc(k.value)}</div><div class="d">${esc(k.detail)}</div></div>`).join('')}</div>`,
    ),
  );
  parts.push(
    section('revenue', 'Revenue and retention', data.revenue, (d) => {
      const pts = d.periods.map((p, i): [number, number] => [i, p.endMrr]);
      const chart = lineChart(
        'MRR at the end of each month',
        d.periods.map((p) => `${month(p.start)}: ${num(p.endMrr)}`).join('; '),
        [{ label: 'MRR', points: pts }],
        {
          xLabel: 'month',
          yLabel: 'MRR',
          xFormat: (v) =>
            Number.isInteger(v) && d.periods[v] ? month((d.periods[v] as { start: number }).start) : '',
        },
      );
      const rows = d.periods
        .map(
          (p) =>
            `<tr><td>${month(p.start)}</td><td class="num">${num(p.startMrr)}</td><td class="num">+${num(p.new)}</td><td class="num">+${num(p.expansion)}</td><td class="num">${p.contraction ? `−${num(p.contraction)}` : '0'}</td><td class="num">${p.churned ? `−${num(p.churned)}` : '0'}</td><td class="num">${num(p.endMrr)}</td><td class="num">${p.nrr === null ? '—' : pct(p.nrr, 1)}</td><td class="num">${p.grr === null ? '—' : pct(p.grr, 1)}</td><td class="num">${p.logoChurn === null ? '—' : pct(p.logoChurn, 1)}</td></tr>`,
        )
        .join('');
      return `${figure(chart, 'MRR by month.')}<div class="scroll"><table><caption class="sr">MRR movements by month</caption><thead><tr><th>month</th><th class="num">start</th><th class="num">new</th><th class="num">expansion</th><th class="num">contraction</th><th class="num">churned</th><th class="num">end</th><th class="num">NRR</th><th class="num">GRR</th><th class="num">logo churn</th></tr></thead><tbody>${rows}</tbody></table></div>`;
    }),
  );
  parts.push(
    section('health', 'Health bands', data.health, (d) => {
      const series = d.bands.map((b, k) => ({
        label: b,
        values: d.overTime.map((o) => o.counts[k] ?? 0),
        colour: bandColour(b),
      }));
      const stacked = stackedBars(
        'Customers per health band, month by month',
        d.overTime
          .map((o) => `${day(o.asOf)}: ${d.bands.map((b, k) => `${b} ${o.counts[k]}`).join(', ')}`)
          .join('; '),
        d.overTime.map((o) => month(o.asOf)),
        series,
        'customers',
      );
      const edges = Array.from({ length: 10 }, (_, i) => i * 10);
      const counts = edges.map(
        (lo) => d.scores.filter((s) => s >= lo && (lo === 90 ? s <= 100 : s < lo + 10)).length,
      );
      const hist = barChart(
        'Distribution of health scores',
        edges.map((lo, i) => `${lo}–${lo + 10}: ${counts[i]}`).join('; '),
        edges.map((lo) => String(lo)),
        counts,
        {
          xLabel: 'health score (bins of 10)',
          yLabel: 'customers',
          colours: edges.map((lo) => bandColour(lo < 50 ? 'at risk' : lo < 75 ? 'neutral' : 'healthy')),
        },
      );
      return `<div class="grid2">${figure(stacked, 'Band counts at each monthly date (band over time).')}${figure(hist, `${d.scores.length} scored customers at the report date.`)}</div>`;
    }),
  );
  parts.push(
    section('risky', 'Riskiest customers', data.risky, (d) =>
      d.customers
        .map(
          (c) =>
            `<div class="customer"><h3>${custButton(c.id)} — ${c.score === null ? 'no score' : num(c.score, 1)}${c.band ? ` (${esc(c.band)})` : ''}</h3>${driverList(c.drivers)}</div>`,
        )
        .join(''),
    ),
  );
  parts.push(
    section(
      'movers',
      'Who moved',
      data.movers,
      (d) =>
        `<p>Largest health drops since ${day(d.from)}, with what changed (explainChange).</p>${d.customers
          .map(
            (c) =>
              `<div class="customer"><h3>${custButton(c.id)}: ${c.before === null ? '—' : num(c.before, 1)} → ${c.after === null ? '—' : num(c.after, 1)} (${num(c.delta, 1)})</h3><p>${esc(c.summary)}</p>${driverList(c.changes)}</div>`,
          )
          .join('')}`,
    ),
  );
  parts.push(
    section('churn', 'Churn model', data.churn, (d) => {
      const roc = lineChart(
        'ROC curve of the churn model (out-of-time test)',
        `AUC ${d.auc ?? 'n/a'} on ${d.n} customers, ${d.positives} churned.`,
        [{ label: 'model', points: d.roc }],
        {
          xLabel: 'false-positive rate',
          yLabel: 'true-positive rate',
          xDomain: [0, 1],
          yDomain: [0, 1],
          diagonal: true,
        },
      );
      const cal = lineChart(
        'Calibration by decile of predicted risk',
        d.calibration
          .map(
            (c) => `bin ${c.bin}: predicted ${pct(c.meanPredicted, 1)}, observed ${pct(c.observedRate, 1)}`,
          )
          .join('; '),
        [
          {
            label: 'observed vs predicted',
            points: d.calibration.map((c): [number, number] => [c.meanPredicted, c.observedRate]),
            dots: true,
          },
        ],
        {
          xLabel: 'mean predicted churn probability',
          yLabel: 'observed churn rate',
          xDomain: [
            0,
            Math.max(0.05, ...d.calibration.map((c) => Math.max(c.meanPredicted, c.observedRate))),
          ],
          yDomain: [
            0,
            Math.max(0.05, ...d.calibration.map((c) => Math.max(c.meanPredicted, c.observedRate))),
          ],
          diagonal: true,
          yPercent: true,
        },
      );
      const gains = lineChart(
        'Cumulative gains: churners captured by contacting the riskiest customers first',
        `Top 20% of customers by risk capture ${d.top20Capture === null ? 'n/a' : pct(d.top20Capture)} of churners; lift at 10%: ${d.top10Lift ?? 'n/a'}.`,
        [{ label: 'model', points: d.gains }],
        {
          xLabel: 'share of customers contacted',
          yLabel: 'share of churners captured',
          xDomain: [0, 1],
          yDomain: [0, 1],
          diagonal: true,
          yPercent: true,
        },
      );
      const risks = d.topRisks
        .map(
          (r) =>
            `<tr><td>${custButton(r.id)}</td><td class="num">${pct(r.probability, 1)}</td><td>${esc(r.reasons.join('; '))}</td></tr>`,
        )
        .join('');
      return `<p>Model trained on earlier windows and tested on churn in the ${d.horizonDays} days after ${day(d.testAsOf)}: ROC AUC <strong>${d.auc ?? 'n/a'}</strong> (${d.n} customers, ${d.positives} churned).</p><div class="grid2">${figure(roc, 'ROC curve; the dashed diagonal is a random guess.')}${figure(cal, 'Points on the diagonal are well calibrated.')}${figure(gains, 'Lift/capture: above the diagonal is better than random.')}</div><h3>Top risks now (next ${d.horizonDays} days)</h3><table><thead><tr><th>customer</th><th class="num">probability</th><th>reasons</th></tr></thead><tbody>${risks}</tbody></table>`;
    }),
  );
  parts.push(
    section('survival', 'Retention curves by plan', data.survival, (d) => {
      const chart = lineChart(
        'Kaplan–Meier retention by plan, with 95% bands',
        d.curves
          .map(
            (c) =>
              `${c.label}: ${c.n} customers, ${c.events} churned, median ${c.median === null ? 'not reached' : `${c.median} months`}`,
          )
          .join('; '),
        d.curves.map((c) => ({
          label: c.label,
          points: [
            [0, 1] as [number, number],
            ...c.times.map((t, i): [number, number] => [t, c.survival[i] ?? 1]),
          ],
          band: { lower: [1, ...c.lower], upper: [1, ...c.upper] },
          step: true,
        })),
        { xLabel: 'months since signup', yLabel: 'share still subscribed', yDomain: [0, 1], yPercent: true },
      );
      const rows = d.curves
        .map(
          (c) =>
            `<tr><td>${esc(c.label)}</td><td class="num">${c.n}</td><td class="num">${c.events}</td><td class="num">${c.median === null ? 'not reached' : `${c.median} months`}</td></tr>`,
        )
        .join('');
      return `<div class="grid2">${figure(chart, 'Step curves with shaded 95% bands (Greenwood, log-log).')}<table><thead><tr><th>group</th><th class="num">customers</th><th class="num">churned</th><th class="num">median lifetime</th></tr></thead><tbody>${rows}</tbody></table></div>`;
    }),
  );
  parts.push(
    section('clv', 'Customer lifetime value', data.clv, (d) => {
      const labels = d.counts.map((_, i) => num(d.edges[i] ?? 0));
      const hist = barChart(
        `Distribution of ${d.horizonMonths}-month CLV`,
        d.counts.map((c, i) => `${num(d.edges[i] ?? 0)}–${num(d.edges[i + 1] ?? 0)}: ${c}`).join('; '),
        labels,
        d.counts,
        { xLabel: 'CLV (last bar: top 1% and above)', yLabel: 'customers' },
      );
      const lorenz = lineChart(
        'Concentration of value (Lorenz curve)',
        d.topShares.map((t) => `top ${pct(t.fraction)} hold ${pct(t.share, 1)} of value`).join('; '),
        [{ label: 'Lorenz', points: d.lorenz }],
        {
          xLabel: 'share of customers (lowest value first)',
          yLabel: 'share of value',
          xDomain: [0, 1],
          yDomain: [0, 1],
          diagonal: true,
          yPercent: true,
        },
      );
      const shares = d.topShares
        .map(
          (t) =>
            `<li>Top ${pct(t.fraction)} of customers hold <strong>${pct(t.share, 1)}</strong> of the value.</li>`,
        )
        .join('');
      const tracking = d.tracking
        ? figure(
            lineChart(
              'Cumulative repeat purchases: model vs actual, through the holdout',
              `${d.trackingReason ?? ''}. Final week: expected ${num(d.tracking.at(-1)?.expected ?? 0)}, actual ${num(d.tracking.at(-1)?.actual ?? 0)}.`,
              [
                { label: 'actual', points: d.tracking.map((p): [number, number] => [p.week, p.actual]) },
                {
                  label: 'expected (model)',
                  points: d.tracking.map((p): [number, number] => [p.week, p.expected]),
                  dashed: true,
                },
              ],
              { xLabel: 'week', yLabel: 'cumulative repeat purchases' },
            ),
            `Calibration vs holdout tracking: ${d.trackingReason ?? ''}.`,
          )
        : `<p class="reason">Calibration-vs-holdout tracking plot not shown: ${esc(d.trackingReason ?? 'no holdout')}</p>`;
      return `<p>${esc(d.method)}: ${esc(d.reason)}. ${num(d.n)} customers, total ${money(d.total)}.</p><div class="grid2">${figure(hist, 'Customers by predicted value.')}${figure(lorenz, 'The further below the diagonal, the more concentrated.')}</div><ul>${shares}</ul>${tracking}`;
    }),
  );
  parts.push(
    section('rfm', 'RFM segments', data.rfm, (d) => {
      const rows = [5, 4, 3, 2, 1].map((r) => `R ${r}`);
      const map = heatmap(
        'Customers per recency score (rows) and frequency-monetary score (columns)',
        [5, 4, 3, 2, 1].map((r) => `R${r}: ${(d.grid[r - 1] ?? []).join(', ')}`).join('; '),
        rows,
        [1, 2, 3, 4, 5].map((f) => `FM ${f}`),
        [5, 4, 3, 2, 1].map((r) => d.grid[r - 1] ?? []),
        { format: (v) => num(v), xLabel: 'frequency-monetary score', yLabel: 'recency score' },
      );
      const seg = d.segments
        .map(
          (s) =>
            `<tr><td>${esc(s.name)}</td><td class="num">${num(s.count)}</td><td class="num">${pct(s.share, 1)}</td><td class="num">${s.monetaryShare === null ? '—' : pct(s.monetaryShare, 1)}</td><td>${esc(s.description ?? '')}</td></tr>`,
        )
        .join('');
      return `<div class="grid2">${figure(map, 'RFM grid (counts).')}<table><thead><tr><th>segment</th><th class="num">customers</th><th class="num">share</th><th class="num">value share</th><th>meaning</th></tr></thead><tbody>${seg}</tbody></table></div>`;
    }),
  );
  parts.push(
    section('clusters', 'Clusters', data.clusters, (d) => {
      const rows = d.clusters
        .map(
          (c, i) =>
            `<tr><td><span aria-hidden="true" style="color:${PALETTE[i % PALETTE.length]}">■</span> ${esc(c.name)}</td><td class="num">${num(c.size)}</td><td class="num">${pct(c.share, 1)}</td><td>${esc(c.features.map((f) => `${f.label} ${num(f.mean, 2)} vs ${num(f.populationMean, 2)} (z ${f.z > 0 ? '+' : ''}${f.z})`).join('; '))}</td></tr>`,
        )
        .join('');
      const bar = barChart(
        'Cluster sizes',
        d.clusters.map((c) => `${c.name}: ${c.size}`).join('; '),
        d.clusters.map((_, i) => `#${i + 1}`),
        d.clusters.map((c) => c.size),
        {
          xLabel: 'cluster',
          yLabel: 'customers',
          colours: d.clusters.map((_, i) => PALETTE[i % PALETTE.length] as string),
        },
      );
      return `<p>k-means on churn features${d.silhouette === null ? '' : `, silhouette ${d.silhouette}`}.</p><div class="grid2">${figure(bar, 'Customers per cluster.')}<table><thead><tr><th>cluster</th><th class="num">customers</th><th class="num">share</th><th>distinguishing features (mean vs all)</th></tr></thead><tbody>${rows}</tbody></table></div>`;
    }),
  );
  parts.push(
    section('cohorts', 'Cohort retention', data.cohorts, (d) => {
      const width = Math.max(...d.cohorts.map((c) => c.cells.length));
      const map = heatmap(
        `Share of each monthly signup cohort retained (${d.by})`,
        d.cohorts
          .map(
            (c) =>
              `${month(c.start)} (${c.size}): ${c.cells.map((v) => (v === null ? '—' : pct(v))).join(', ')}`,
          )
          .join('; '),
        d.cohorts.map((c) => `${month(c.start)} (${c.size})`),
        Array.from({ length: width }, (_, i) => `+${i}`),
        d.cohorts.map((c) => c.cells),
        { format: (v) => pct(v), max: 1, xLabel: 'months since the cohort started', yLabel: 'cohort' },
      );
      return figure(map, 'Rows: cohorts by signup month (size); columns: months later.');
    }),
  );

  // Sentences for the customers named in the sections; other customers show driver labels and points.
  const details: Record<string, DriverView[]> = Object.create(null);
  if (data.risky.available) for (const c of data.risky.data.customers) details[c.id] = c.drivers;
  const t = data.customers;
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
