/** The HTML bodies of the report's later sections: survival, CLV, RFM, clusters, cohorts. */
import { barChart, esc, heatmap, lineChart, PALETTE } from './_charts';
import { figure, month, num, pct } from './_html';
import type { ClusterData, ClvData, CohortData, RfmData, SurvivalData } from './types';

/** Kaplan–Meier curves by plan and their table. */
export function survivalBody(d: SurvivalData): string {
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
}

/** CLV distribution, concentration and holdout tracking; `money` formats amounts. */
export function clvBody(d: ClvData, money: (v: number) => string): string {
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
}

/** The RFM grid and the segments table. */
export function rfmBody(d: RfmData): string {
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
}

/** Cluster sizes and distinguishing features. */
export function clustersBody(d: ClusterData): string {
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
}

/** Cohort retention heatmap. */
export function cohortsBody(d: CohortData): string {
  const width = Math.max(...d.cohorts.map((c) => c.cells.length));
  const map = heatmap(
    `Share of each monthly signup cohort retained (${d.by})`,
    d.cohorts
      .map(
        (c) => `${month(c.start)} (${c.size}): ${c.cells.map((v) => (v === null ? '—' : pct(v))).join(', ')}`,
      )
      .join('; '),
    d.cohorts.map((c) => `${month(c.start)} (${c.size})`),
    Array.from({ length: width }, (_, i) => `+${i}`),
    d.cohorts.map((c) => c.cells),
    { format: (v) => pct(v), max: 1, xLabel: 'months since the cohort started', yLabel: 'cohort' },
  );
  return figure(map, 'Rows: cohorts by signup month (size); columns: months later.');
}
