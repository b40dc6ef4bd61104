/**
 * The CDNOW 1/10th sample (2,357 customers) as Fader, Hardie & Lee (2005) use it: purchases merged
 * per day, weeks counted from 1997-01-01, calibration to 1997-09-30 (39 weeks), holdout to
 * 1998-06-30 (another 39). Times are end-of-day in weeks, so T = (272 − first day)/7 as in the
 * published summary file.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cdnowDir } from '../helpers/sharedData';

export interface CdnowSplit {
  calibration: { frequency: number; recency: number; T: number }[];
  holdout: number[];
  births: number[];
  repeatTimes: number[];
}

const CAL_END_DAY = 272; // 1997-09-30, days since 1997-01-01
const END_DAY = 545; // 1998-06-30

export function loadCdnowSplit(): CdnowSplit {
  const text = readFileSync(resolve(cdnowDir, 'CDNOW_sample.txt'), 'utf8');
  const j0 = Date.UTC(1997, 0, 1);
  const days = new Map<string, Set<number>>();
  for (const line of text.split(/\r?\n/)) {
    const p = line.trim().split(/\s+/);
    const d = p[2];
    if (p.length < 5 || d === undefined || !/^\d{8}$/.test(d)) continue;
    const day =
      (Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8))) - j0) / 86_400_000;
    let s = days.get(p[0] as string);
    if (!s) {
      s = new Set();
      days.set(p[0] as string, s);
    }
    s.add(day);
  }
  const out: CdnowSplit = { calibration: [], holdout: [], births: [], repeatTimes: [] };
  for (const s of days.values()) {
    const ds = [...s].sort((a, b) => a - b);
    const b = ds[0] as number;
    let x = 0;
    let last = b;
    let h = 0;
    for (const d of ds.slice(1)) {
      if (d <= CAL_END_DAY) {
        x++;
        last = d;
      } else if (d <= END_DAY) h++;
      if (d <= END_DAY) out.repeatTimes.push((d + 1) / 7);
    }
    out.calibration.push({ frequency: x, recency: (last - b) / 7, T: (CAL_END_DAY - b) / 7 });
    out.holdout.push(h);
    out.births.push((b + 1) / 7);
  }
  return out;
}

/** The sample's transactions as purchase events (UTC midnight timestamps, dollar values). */
export function loadCdnowSampleEvents(): {
  customerId: string;
  type: string;
  timestamp: number;
  value: number;
}[] {
  const text = readFileSync(resolve(cdnowDir, 'CDNOW_sample.txt'), 'utf8');
  const out: { customerId: string; type: string; timestamp: number; value: number }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const p = line.trim().split(/\s+/);
    const d = p[2];
    if (p.length < 5 || d === undefined || !/^\d{8}$/.test(d)) continue;
    out.push({
      customerId: p[0] as string,
      type: 'purchase',
      timestamp: Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8))),
      value: Number(p[4]),
    });
  }
  return out;
}
