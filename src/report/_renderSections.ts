/** The HTML bodies of the report's first sections: overview, revenue, health, risky, movers, churn. */
import { bandColour, barChart, esc, lineChart, stackedBars } from './_charts';
import { custButton, day, driverList, figure, month, num, pct } from './_html';
import type { ChurnData, CustomerView, HealthBandsData, Kpi, MoverView, RevenueData } from './types';

/** KPI tiles. */
export function overviewBody(d: { kpis: Kpi[] }): string {
  return `<div class="kpis">${d.kpis.map((k) => `<div class="kpi"><div class="l">${esc(k.label)}</div><div class="v">${esc(k.value)}</div><div class="d">${esc(k.detail)}</div></div>`).join('')}</div>`;
}

/** MRR chart and the monthly movements table. */
export function revenueBody(d: RevenueData): string {
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
}

/** Band counts over time and the distribution of scores. */
export function healthBody(d: HealthBandsData): string {
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
}

/** The riskiest customers with their drivers. */
export function riskyBody(d: { customers: CustomerView[] }): string {
  return d.customers
    .map(
      (c) =>
        `<div class="customer"><h3>${custButton(c.id)} — ${c.score === null ? 'no score' : num(c.score, 1)}${c.band ? ` (${esc(c.band)})` : ''}</h3>${driverList(c.drivers)}</div>`,
    )
    .join('');
}

/** The largest health drops, explained. */
export function moversBody(d: { from: number; customers: MoverView[] }): string {
  return `<p>Largest health drops since ${day(d.from)}, with what changed (explainChange).</p>${d.customers
    .map(
      (c) =>
        `<div class="customer"><h3>${custButton(c.id)}: ${c.before === null ? '—' : num(c.before, 1)} → ${c.after === null ? '—' : num(c.after, 1)} (${num(c.delta, 1)})</h3><p>${esc(c.summary)}</p>${driverList(c.changes)}</div>`,
    )
    .join('')}`;
}

/** ROC, calibration and gains charts, and the top risks now. */
export function churnBody(d: ChurnData): string {
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
      .map((c) => `bin ${c.bin}: predicted ${pct(c.meanPredicted, 1)}, observed ${pct(c.observedRate, 1)}`)
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
      xDomain: [0, Math.max(0.05, ...d.calibration.map((c) => Math.max(c.meanPredicted, c.observedRate)))],
      yDomain: [0, Math.max(0.05, ...d.calibration.map((c) => Math.max(c.meanPredicted, c.observedRate)))],
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
}
