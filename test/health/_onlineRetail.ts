/**
 * A small independent reader of ../shared/datasets/online-retail/online_retail_sample_20k.csv for
 * the health tests and benchmark (independent of the ingest mapping): one event per invoice and
 * customer, `purchase` with Σ Quantity × UnitPrice, `refund` with the absolute amount for `C`
 * invoices, `CustomerID` `NA` skipped, stock adjustments (negative quantity without `C`) skipped.
 * InvoiceDate `yyyy-MM-dd HH:mm:ss` or `M/d/yyyy H:mm`, read as UTC.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CustomerEvent } from '../../src/events/types';

const here = dirname(fileURLToPath(import.meta.url));
export const retailFile = resolve(
  here,
  '../../../shared/datasets/online-retail/online_retail_sample_20k.csv',
);
export const retailAvailable = existsSync(retailFile);
if (!retailAvailable)
  console.warn(`[online-retail] ${retailFile} not found: health retail tests are SKIPPED.`);

function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function invoiceDate(s: string): number {
  const iso = /^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (iso)
    return Date.UTC(
      +(iso[1] as string),
      +(iso[2] as string) - 1,
      +(iso[3] as string),
      +(iso[4] as string),
      +(iso[5] as string),
      +(iso[6] ?? 0),
    );
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/.exec(s);
  if (us)
    return Date.UTC(
      +(us[3] as string),
      +(us[1] as string) - 1,
      +(us[2] as string),
      +(us[4] as string),
      +(us[5] as string),
    );
  throw new Error(`unreadable InvoiceDate ${s}`);
}

/** Invoice-level purchase and refund events. */
export function readRetailEvents(file = retailFile): CustomerEvent[] {
  const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const head = cells(lines[0] as string);
  const at = (name: string): number => head.indexOf(name);
  const [inv, qty, date, price, cust] = [
    'InvoiceNo',
    'Quantity',
    'InvoiceDate',
    'UnitPrice',
    'CustomerID',
  ].map(at) as [number, number, number, number, number];
  const byInvoice = new Map<
    string,
    { customerId: string; type: string; timestamp: number; value: number; eventId: string }
  >();
  for (let k = 1; k < lines.length; k++) {
    const f = cells(lines[k] as string);
    const id = f[cust] as string;
    if (id === 'NA' || id === '') continue;
    const invoice = f[inv] as string;
    const q = Number(f[qty]);
    const refund = invoice.startsWith('C');
    if (!refund && q < 0) continue;
    const amount = Math.abs(q * Number(f[price]));
    const key = `${invoice}|${id}`;
    const prev = byInvoice.get(key);
    if (prev !== undefined) prev.value += amount;
    else
      byInvoice.set(key, {
        customerId: id,
        type: refund ? 'refund' : 'purchase',
        timestamp: invoiceDate(f[date] as string),
        value: amount,
        eventId: invoice,
      });
  }
  return Array.from(byInvoice.values(), (e) => ({ ...e, value: Math.round(e.value * 100) / 100 }));
}

/**
 * AUC of scores for "buys again": the probability that a customer who buys again within the
 * horizon scores above one who does not (ties ½), by Mann–Whitney over ranks. Null without both.
 */
export function returnAuc(scores: readonly number[], returned: readonly boolean[]): number | null {
  const idx = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1] as number] === scores[idx[i] as number]) j++;
    const mid = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (returned[idx[k] as number]) {
        rankSum += mid;
        pos++;
      }
    i = j + 1;
  }
  const neg = scores.length - pos;
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
