/**
 * Calibration/holdout validation on the full CDNOW master file (23,570 customers): fit on the first
 * 39 weeks (1997-01-01 .. 1997-09-30), predict each customer's repeat purchases in the next 39 weeks
 * (to 1998-06-30) and compare with what they actually did. Prints the figures for the release note.
 */
import { describe, expect, it } from 'vitest';
import { fitBGNBD } from '../../src/clv/fitBGNBD';
import { fitMBGNBD } from '../../src/clv/fitMBGNBD';
import { fitParetoNBD } from '../../src/clv/fitParetoNBD';
import { rfmSummary } from '../../src/clv/rfmSummary';
import type { CustomerEvent } from '../../src/events/types';
import { cdnowAvailable, loadCdnowMaster } from '../helpers/sharedData';

describe.skipIf(!cdnowAvailable)('CDNOW master: 39-week calibration, 39-week holdout', () => {
  it('forecasts holdout repeat purchases within 25% in total and beats the naive run rate per customer', () => {
    const events: CustomerEvent[] = loadCdnowMaster().map((t) => ({
      customerId: t.customerId,
      type: 'purchase',
      timestamp: t.date,
      value: t.dollars,
    }));
    const s = rfmSummary(events, {
      asOf: Date.UTC(1998, 5, 30),
      calibrationEnd: Date.UTC(1997, 8, 30),
      timeUnit: 'weeks',
    });
    expect(s.customers).toHaveLength(23570);
    expect(s.holdoutDuration).toBe(39);
    const actual = Float64Array.from(s.customers, (c) => c.holdoutFrequency as number);
    let actualTotal = 0;
    for (const a of actual) actualTotal += a;
    // Naive baseline: each customer keeps buying at the calibration rate x/T.
    let naiveMae = 0;
    let naiveTotal = 0;
    for (let i = 0; i < actual.length; i++) {
      const c = s.customers[i]!;
      const guess = c.T > 0 ? (c.frequency / c.T) * 39 : 0;
      naiveTotal += guess;
      naiveMae += Math.abs(guess - (actual[i] as number));
    }
    naiveMae /= actual.length;
    const lines: string[] = [
      `naive run-rate: predicted ${naiveTotal.toFixed(0)} vs actual ${actualTotal}, MAE/customer ${naiveMae.toFixed(3)}`,
    ];
    for (const [name, fitter] of [
      ['BG/NBD', fitBGNBD],
      ['MBG/NBD', fitMBGNBD],
      ['Pareto/NBD', fitParetoNBD],
    ] as const) {
      const m = fitter(s.columns, { standardErrors: false });
      const pred = m.predictConditional(39, s.columns);
      let total = 0;
      let mae = 0;
      for (let i = 0; i < pred.length; i++) {
        total += pred[i] as number;
        mae += Math.abs((pred[i] as number) - (actual[i] as number));
      }
      mae /= pred.length;
      const params = Object.entries(m.params)
        .map(([k, v]) => `${k}=${(v as number).toFixed(3)}`)
        .join(' ');
      lines.push(
        `${name.padEnd(10)} ${params}  LL=${m.logLikelihood.toFixed(1)}  predicted ${total.toFixed(0)} vs actual ${actualTotal} (${(((total - actualTotal) / actualTotal) * 100).toFixed(1)}%), MAE/customer ${mae.toFixed(3)}`,
      );
      // The models under-forecast CDNOW's holdout by 13–19% (the published calibration reproduces exactly;
      // the holdout includes the 1997 Christmas season), but beat the naive run-rate forecast per customer.
      expect(Math.abs(total - actualTotal) / actualTotal).toBeLessThan(0.25);
      expect(mae).toBeLessThan(naiveMae);
    }
    console.log(`[cdnow holdout] ${s.customers.length} customers, holdout 39 weeks\n${lines.join('\n')}`);
  });
});
