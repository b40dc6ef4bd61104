/**
 * Health on real purchase-only data: the UCI Online Retail sample (../shared, never copied).
 * Events are built by a small independent reader (invoices → purchase / refund events).
 */
import { describe, expect, it } from 'vitest';
import { scoreHealth } from '../../src/health/scoreHealth';
import { readRetailEvents, retailAvailable, returnAuc } from './_onlineRetail';

const DAY = 86_400_000;
/** Scored as of 2011-09-10 (00:00 UTC): the data runs to 2011-12-09, a full 90-day outcome window. */
const AS_OF = Date.UTC(2011, 8, 10);

describe.skipIf(!retailAvailable)('health on the Online Retail sample (purchase-only data)', () => {
  it('chooses the purchase scorecard, applies no support measure, and scores non-returners lower', () => {
    const events = readRetailEvents();
    const scores = scoreHealth(events, { asOf: AS_OF });
    // The purchase scorecard is chosen and named, in the result and in a warning.
    expect(scores.scorecard).toBe('purchases');
    expect(scores.every((s) => s.scorecard === 'purchases')).toBe(true);
    expect(scores.warnings.map((w) => w.code)).toEqual(['auto_scorecard']);
    const measures = scores[0]?.measures.map((m) => m.signal) ?? [];
    expect(measures).toEqual(['daysSincePurchase', 'purchases', 'spendTrend', 'spend', 'refundRate']);
    expect(measures.some((s) => /ticket|Resolution|nps|csat|ces/i.test(s))).toBe(false);
    // Nobody scores 100 "healthy" for lack of tickets: scores spread out.
    const healthy = scores.filter((s) => s.band === 'healthy').length;
    expect(healthy / scores.length).toBeLessThan(0.5);
    // Outcome: a purchase in (asOf, asOf + 90 days].
    const returned = new Set<string>();
    for (const e of events)
      if (e.type === 'purchase' && e.timestamp > AS_OF && e.timestamp <= AS_OF + 90 * DAY)
        returned.add(e.customerId);
    const scored = scores.filter((s) => s.score !== null);
    const auc = returnAuc(
      scored.map((s) => s.score as number),
      scored.map((s) => returned.has(s.customerId)),
    );
    const r = scored.filter((s) => returned.has(s.customerId)).length;
    console.log(
      `[health] Online Retail, purchase scorecard as of 2011-09-10: ${scored.length} customers, ${r} bought again ` +
        `within 90 days; AUC (returners score higher) ${auc?.toFixed(3)}`,
    );
    // AUC > 0.5 means returners score higher than non-returners more often than not; recency and
    // frequency are the classic predictors of repurchase, so the scorecard must beat a coin flip.
    expect(auc).toBeGreaterThan(0.5);
    // Mean scores, the same statement in plain numbers.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ret = scored.filter((s) => returned.has(s.customerId)).map((s) => s.score as number);
    const non = scored.filter((s) => !returned.has(s.customerId)).map((s) => s.score as number);
    expect(mean(ret)).toBeGreaterThan(mean(non));
  });
});
