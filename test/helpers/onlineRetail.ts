/**
 * One small independent reader of ../shared/datasets/online-retail/online_retail_sample_20k.csv for
 * the CLV and health tests and the health benchmark (independent of the ingest mapping): one event
 * per invoice and customer — `purchase` with Σ Quantity × UnitPrice for ordinary invoices, `refund`
 * with the absolute amount for `C` invoices, `eventId` the invoice number; `CustomerID` `NA` dropped;
 * lines with a negative quantity on a non-`C` invoice are stock adjustments and are skipped.
 * InvoiceDate read as UTC (`yyyy-MM-dd HH:mm:ss`, or `M/d/yyyy H:mm` as in the UCI original).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CustomerEvent } from '../../src/events/types';

const here = dirname(fileURLToPath(import.meta.url));
export const onlineRetailFile = resolve(
  here,
  '../../../shared/datasets/online-retail/online_retail_sample_20k.csv',
);
export const onlineRetailAvailable = existsSync(onlineRetailFile);
if (!onlineRetailAvailable) {
  console.warn(`[online-retail] data not found at ${onlineRetailFile}: Online Retail tests are SKIPPED.`);
}

function splitCsvLine(line: string): string[] {
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

/** Epoch ms (UTC) of `2011-03-10 16:16:00` or `3/10/2011 16:16`. */
export function parseInvoiceDate(s: string): number {
  let m = /^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (m) return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/.exec(s);
  if (m) return Date.UTC(+m[3]!, +m[1]! - 1, +m[2]!, +m[4]!, +m[5]!);
  throw new Error(`unreadable InvoiceDate ${s}`);
}

/** An invoice-level event of the sample, with its invoice number as `eventId`. */
export type OnlineRetailEvent = CustomerEvent & { eventId: string };

/** Invoice-level purchase and refund events, in file order of first appearance, values in cents. */
export function readOnlineRetailEvents(file = onlineRetailFile): OnlineRetailEvent[] {
  const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const header = splitCsvLine(lines[0] as string);
  const col = (name: string): number => header.indexOf(name);
  const [iInv, iQty, iDate, iPrice, iCust] = [
    col('InvoiceNo'),
    col('Quantity'),
    col('InvoiceDate'),
    col('UnitPrice'),
    col('CustomerID'),
  ];
  const byInvoice = new Map<
    string,
    { customerId: string; type: string; timestamp: number; value: number; eventId: string }
  >();
  for (let k = 1; k < lines.length; k++) {
    const f = splitCsvLine(lines[k] as string);
    const cust = f[iCust] as string;
    if (cust === 'NA' || cust === '') continue;
    const inv = f[iInv] as string;
    const qty = Number(f[iQty]);
    const refund = inv.startsWith('C');
    if (!refund && qty < 0) continue;
    const amount = Math.abs(qty * Number(f[iPrice]));
    const key = `${inv}|${cust}`;
    const prev = byInvoice.get(key);
    if (prev) prev.value += amount;
    else
      byInvoice.set(key, {
        customerId: cust,
        type: refund ? 'refund' : 'purchase',
        timestamp: parseInvoiceDate(f[iDate] as string),
        value: amount,
        eventId: inv,
      });
  }
  // Cents: sums of float products drift in the last digit.
  return Array.from(byInvoice.values(), (e) => ({ ...e, value: Math.round(e.value * 100) / 100 }));
}
