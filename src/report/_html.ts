/** Formatting helpers shared by the report's HTML: dates, numbers, figures, driver lists. */
import { esc } from './_charts';
import type { DriverView } from './types';

/** `YYYY-MM-DD` (UTC). */
export const day = (t: number) => new Date(t).toISOString().slice(0, 10);
/** `YYYY-MM` (UTC). */
export const month = (t: number) => new Date(t).toISOString().slice(0, 7);
/** `v` with thousands separators and exactly `d` decimals (en-US). */
export const num = (v: number, d = 0) =>
  v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
/** A share as a percentage with `d` decimals. */
export const pct = (v: number, d = 0) => `${num(100 * v, d)}%`;

/** A chart with its caption. */
export function figure(svg: string, caption: string): string {
  return `<figure>${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

/** Drivers as sentences, each with a contribution bar scaled to the largest (bars are decorative: the points are in the text). */
export function driverList(drivers: DriverView[]): string {
  const max = Math.max(1, ...drivers.map((d) => Math.abs(d.impact)));
  return `<ul class="drivers">${drivers
    .map(
      (d) =>
        `<li><span class="bar ${d.impact < 0 ? 'neg' : 'pos'}" style="width:${Math.max(2, Math.round((Math.abs(d.impact) / max) * 120))}px" aria-hidden="true"></span><span>${esc(d.sentence)} <span class="pts ${d.impact < 0 ? 'neg' : 'pos'}">${d.impact > 0 ? '+' : ''}${num(d.impact, 1)}</span></span></li>`,
    )
    .join('')}</ul>`;
}

/** A customer id that opens the customer's details in the table. */
export function custButton(id: string): string {
  return `<button type="button" class="cust-link" data-id="${esc(id)}">${esc(id)}</button>`;
}
