/**
 * Hand-written SVG charts for the report: rendered to strings at build time, so every chart is in
 * the file, prints, needs no script, and carries a text alternative (`<title>`/`<desc>`).
 *
 * Why not a charting library: Observable Plot 0.6.17 with d3 7 bundles (esbuild, minified) to
 * 417 KB (142 KB gzipped) per report and renders only in a browser with scripts on; these few chart
 * types take a few KB and render anywhere, including in Node for `renderReport`.
 * @internal
 */

/** Okabe–Ito palette (distinguishable with the common colour-vision deficiencies). */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
];
/** Health bands: at risk (vermillion), neutral (yellow-orange), healthy (bluish green), other grey. */
export function bandColour(band: string): string {
  if (band === 'at risk') return '#D55E00';
  if (band === 'neutral') return '#E69F00';
  if (band === 'healthy') return '#009E73';
  return '#999999';
}

/** HTML/XML text escape. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const W = 560;
const H = 260;
const M = { top: 16, right: 16, bottom: 40, left: 52 };

function fmtTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(a < 1 ? 2 : 1);
}

/** About `n` round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

function frame(title: string, desc: string, body: string, w = W, h = H): string {
  const id = `t${Math.abs(hash(title + desc)).toString(36)}`;
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-labelledby="${id}t ${id}d" xmlns="http://www.w3.org/2000/svg"><title id="${id}t">${esc(title)}</title><desc id="${id}d">${esc(desc)}</desc>${body}</svg>`;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

interface Axes {
  x: (v: number) => number;
  y: (v: number) => number;
  svg: string;
}

function axes(
  xlo: number,
  xhi: number,
  ylo: number,
  yhi: number,
  xLabel: string,
  yLabel: string,
  xFmt = fmtTick,
  yFmt = fmtTick,
): Axes {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (v: number) => M.left + (xhi > xlo ? ((v - xlo) / (xhi - xlo)) * pw : pw / 2);
  const y = (v: number) => M.top + ph - (yhi > ylo ? ((v - ylo) / (yhi - ylo)) * ph : ph / 2);
  let svg = `<g class="axis" font-size="11" fill="#333">`;
  for (const t of ticks(ylo, yhi)) {
    svg += `<line x1="${M.left}" x2="${W - M.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e5e5e5"/><text x="${M.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${esc(yFmt(t))}</text>`;
  }
  for (const t of ticks(xlo, xhi, 6)) {
    svg += `<text x="${x(t).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${esc(xFmt(t))}</text>`;
  }
  svg += `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`;
  svg += `<text x="${M.left + pw / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text>`;
  svg += `<text transform="translate(12 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text></g>`;
  return { x, y, svg };
}

/** A line series, with an optional band (lower/upper). */
export interface Series {
  label: string;
  points: [number, number][];
  band?: { lower: number[]; upper: number[] };
  dashed?: boolean;
  step?: boolean;
  /** Points only (a scatter), no line. */
  dots?: boolean;
}

function path(points: [number, number][], a: Axes, step: boolean): string {
  let d = '';
  points.forEach(([px, py], i) => {
    const X = a.x(px).toFixed(1);
    const Y = a.y(py).toFixed(1);
    if (i === 0) d += `M${X},${Y}`;
    else if (step) d += `H${X}V${Y}`;
    else d += `L${X},${Y}`;
  });
  return d;
}

/** Line chart; `desc` is the text alternative. */
export function lineChart(
  title: string,
  desc: string,
  series: Series[],
  opts: {
    xLabel: string;
    yLabel: string;
    xDomain?: [number, number];
    yDomain?: [number, number];
    diagonal?: boolean;
    yPercent?: boolean;
    xFormat?: (v: number) => string;
  },
): string {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => [
    ...s.points.map((p) => p[1]),
    ...(s.band ? [...s.band.lower, ...s.band.upper] : []),
  ]);
  const [xlo, xhi] = opts.xDomain ?? [Math.min(...xs, 0), Math.max(...xs, 1)];
  const [ylo, yhi] = opts.yDomain ?? [Math.min(...ys, 0), Math.max(...ys, 1)];
  const pctFmt = (v: number) => `${Math.round(v * 100)}%`;
  const a = axes(
    xlo,
    xhi,
    ylo,
    yhi,
    opts.xLabel,
    opts.yLabel,
    opts.xFormat ?? fmtTick,
    opts.yPercent ? pctFmt : fmtTick,
  );
  let body = a.svg;
  if (opts.diagonal) {
    body += `<line x1="${a.x(xlo)}" y1="${a.y(ylo)}" x2="${a.x(xhi)}" y2="${a.y(yhi)}" stroke="#999" stroke-dasharray="4 3"/>`;
  }
  series.forEach((s, i) => {
    const c = PALETTE[i % PALETTE.length];
    if (s.band && s.points.length) {
      const up = s.points.map((p, k): [number, number] => [p[0], s.band?.upper[k] ?? p[1]]);
      const lo = s.points.map((p, k): [number, number] => [p[0], s.band?.lower[k] ?? p[1]]).reverse();
      body += `<path d="${path(up, a, !!s.step)}${path(lo, a, !!s.step).replace(/^M/, 'L')}Z" fill="${c}" fill-opacity="0.15" stroke="none"/>`;
    }
    if (s.dots) {
      for (const [px, py] of s.points) {
        body += `<circle cx="${a.x(px).toFixed(1)}" cy="${a.y(py).toFixed(1)}" r="4" fill="${c}"/>`;
      }
    } else {
      body += `<path d="${path(s.points, a, !!s.step)}" fill="none" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
    }
  });
  if (series.length > 1) body += legend(series.map((s) => s.label));
  return frame(title, desc, body);
}

function legend(labels: string[]): string {
  let x = M.left + 8;
  let out = '<g font-size="11">';
  labels.forEach((l, i) => {
    out += `<rect x="${x}" y="${M.top}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/><text x="${x + 14}" y="${M.top + 9}">${esc(l)}</text>`;
    x += 24 + l.length * 6.2;
  });
  return `${out}</g>`;
}

/** Vertical bars (histogram or categories). */
export function barChart(
  title: string,
  desc: string,
  labels: string[],
  values: number[],
  opts: { xLabel: string; yLabel: string; colours?: string[] },
): string {
  const a = axes(0, labels.length, 0, Math.max(1, ...values), opts.xLabel, opts.yLabel, () => '');
  let body = a.svg.replace(/<text x="[^"]*" y="[^"]*" text-anchor="middle"><\/text>/g, '');
  const bw = (a.x(1) - a.x(0)) * 0.85;
  const every = Math.ceil(labels.length / 10);
  values.forEach((v, i) => {
    const x0 = a.x(i) + (a.x(1) - a.x(0)) * 0.075;
    body += `<rect x="${x0.toFixed(1)}" y="${a.y(v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(a.y(0) - a.y(v)).toFixed(1)}" fill="${opts.colours?.[i] ?? PALETTE[0]}"><title>${esc(`${labels[i]}: ${v}`)}</title></rect>`;
    if (i % every === 0)
      body += `<text x="${(x0 + bw / 2).toFixed(1)}" y="${H - M.bottom + 16}" font-size="11" text-anchor="middle">${esc(labels[i] ?? '')}</text>`;
  });
  return frame(title, desc, body);
}

/** Stacked bars: one bar per x, one segment per series (counts). */
export function stackedBars(
  title: string,
  desc: string,
  xLabels: string[],
  series: { label: string; values: number[]; colour: string }[],
  yLabel: string,
): string {
  const totals = xLabels.map((_, i) => series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const a = axes(0, xLabels.length, 0, Math.max(1, ...totals) * 1.15, '', yLabel, () => '');
  let body = a.svg.replace(/<text x="[^"]*" y="[^"]*" text-anchor="middle"><\/text>/g, '');
  const bw = (a.x(1) - a.x(0)) * 0.7;
  xLabels.forEach((l, i) => {
    const x0 = a.x(i) + (a.x(1) - a.x(0)) * 0.15;
    let acc = 0;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      if (v > 0) {
        body += `<rect x="${x0.toFixed(1)}" y="${a.y(acc + v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(a.y(acc) - a.y(acc + v)).toFixed(1)}" fill="${s.colour}"><title>${esc(`${l} ${s.label}: ${v}`)}</title></rect>`;
      }
      acc += v;
    }
    body += `<text x="${(x0 + bw / 2).toFixed(1)}" y="${H - M.bottom + 16}" font-size="11" text-anchor="middle">${esc(l)}</text>`;
  });
  let x = M.left + 8;
  body += '<g font-size="11">';
  for (const s of series) {
    body += `<rect x="${x}" y="2" width="10" height="10" fill="${s.colour}"/><text x="${x + 14}" y="11">${esc(s.label)}</text>`;
    x += 30 + s.label.length * 6.2;
  }
  body += '</g>';
  return frame(title, desc, body);
}

/** Heatmap of values in [0, max] with row/column labels; null cells left blank. */
export function heatmap(
  title: string,
  desc: string,
  rows: string[],
  cols: string[],
  values: (number | null)[][],
  opts: { format: (v: number) => string; max?: number; xLabel: string; yLabel: string },
): string {
  const cw = Math.max(28, Math.min(60, (W - 110) / Math.max(1, cols.length)));
  const ch = 24;
  const w = 110 + cw * cols.length + 10;
  const h = 30 + ch * rows.length + 30;
  const max = opts.max ?? Math.max(1e-9, ...values.flat().filter((v): v is number => v !== null));
  let body = '<g font-size="11">';
  cols.forEach((c, j) => {
    body += `<text x="${110 + cw * j + cw / 2}" y="20" text-anchor="middle">${esc(c)}</text>`;
  });
  rows.forEach((r, i) => {
    body += `<text x="104" y="${30 + ch * i + 16}" text-anchor="end">${esc(r)}</text>`;
    cols.forEach((_, j) => {
      const v = values[i]?.[j] ?? null;
      if (v === null) return;
      const t = Math.max(0, Math.min(1, v / max));
      // Light to dark blue (sequential, readable in greyscale too).
      const light = Math.round(245 - t * 170);
      const fill = `rgb(${Math.round(light * 0.75)},${Math.round(light * 0.85)},${Math.min(255, light + 20)})`;
      body += `<rect x="${110 + cw * j}" y="${30 + ch * i}" width="${cw - 1}" height="${ch - 1}" fill="${fill}"><title>${esc(`${r}, ${cols[j]}: ${opts.format(v)}`)}</title></rect>`;
      body += `<text x="${110 + cw * j + cw / 2}" y="${30 + ch * i + 16}" text-anchor="middle" fill="${t > 0.55 ? '#fff' : '#000'}">${esc(opts.format(v))}</text>`;
    });
  });
  body += `<text x="${110 + (cw * cols.length) / 2}" y="${h - 6}" text-anchor="middle">${esc(opts.xLabel)}</text>`;
  body += `<text transform="translate(12 ${30 + (ch * rows.length) / 2}) rotate(-90)" text-anchor="middle">${esc(opts.yLabel)}</text></g>`;
  return frame(title, desc, body, w, h).replace(
    'width="100%"',
    `width="100%" style="max-width:${w * 1.4}px"`,
  );
}
