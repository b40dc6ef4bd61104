/**
 * Access to the CDNOW data in ../shared (never copied into the project). Tests that need it use
 * `describe.skipIf(!cdnowAvailable)` and print a visible message when it is absent; `.ci/run`
 * fails outright when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Folder holding CDNOW_master.txt and cdnow_customers_summary*.csv. Override with CDNOW_DIR. */
export const cdnowDir = process.env.CDNOW_DIR ?? resolve(here, '../../../shared/datasets/cdnow');
export const cdnowAvailable = existsSync(resolve(cdnowDir, 'CDNOW_master.txt'));

if (!cdnowAvailable) {
  console.warn(`[cdnow] CDNOW data not found at ${cdnowDir}: CDNOW tests are SKIPPED (set CDNOW_DIR).`);
}

/** One row of the 2,357-customer sample summary: x repeat purchases, t_x and T in weeks, zbar mean spend. */
export interface CdnowSummaryRow {
  id: number;
  x: number;
  tx: number;
  T: number;
  zbar: number;
}

/** Reads cdnow_customers_summary_with_transactions.csv (ID,x,t_x,T,zbar). */
export function loadCdnowSummary(): CdnowSummaryRow[] {
  const text = readFileSync(resolve(cdnowDir, 'cdnow_customers_summary_with_transactions.csv'), 'utf8');
  const lines = text.trim().split(/\r?\n/).slice(1);
  return lines.map((line) => {
    const [id, x, tx, T, zbar] = line.split(',').map(Number);
    return { id: id as number, x: x as number, tx: tx as number, T: T as number, zbar: zbar as number };
  });
}

/** One transaction line of CDNOW_master.txt. `date` is epoch ms at UTC midnight. */
export interface CdnowTransaction {
  customerId: string;
  date: number;
  cds: number;
  dollars: number;
}

/** Reads CDNOW_master.txt (23,570 customers, 69,659 lines): id, yyyymmdd, CDs, dollars. */
export function loadCdnowMaster(): CdnowTransaction[] {
  const text = readFileSync(resolve(cdnowDir, 'CDNOW_master.txt'), 'utf8');
  const out: CdnowTransaction[] = [];
  for (const line of text.split(/\r?\n/)) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 4 || !/^\d{8}$/.test(parts[1] as string)) continue;
    const d = parts[1] as string;
    const date = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)));
    out.push({ customerId: parts[0] as string, date, cds: Number(parts[2]), dollars: Number(parts[3]) });
  }
  return out;
}
