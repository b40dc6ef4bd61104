import { checkScores, Z95 } from './_shared';
import type { ConfidenceInterval, MetricResult } from './types';

/** Result of {@link nps}. `value` is the Net Promoter Score on −100..100. */
export interface NpsResult extends MetricResult {
  /** Answers 9–10. */
  promoters: number;
  /** Answers 7–8. */
  passives: number;
  /** Answers 0–6. */
  detractors: number;
  /** Shares of the answers (fractions); null when n is 0. */
  promoterShare: number | null;
  passiveShare: number | null;
  detractorShare: number | null;
  /** 95% CI of the score, clamped to [−100, 100]; null when n is 0. */
  ci: ConfidenceInterval | null;
}

/**
 * Net Promoter Score of 0–10 answers: `NPS = 100 · (promoters − detractors) / n` with promoters 9–10,
 * passives 7–8 and detractors 0–6.
 *
 * Confidence interval (method `wald-multinomial`): the answers are one multinomial sample, so the
 * variance of the difference of the promoter and detractor proportions is
 * `Var(p̂P − p̂D) = (pP + pD − (pP − pD)²) / n`, and the interval is `NPS ± 1.96 · 100 · √Var`,
 * clamped to [−100, 100]. Like every Wald interval it is too narrow for small n (below ~30) and
 * degenerates to a point when every answer is in one category; read it as a rough guide there.
 *
 * Missing data: an empty array gives `n: 0`, `value: null`, `reason`, and null shares and CI.
 *
 * @param scores integer answers 0..10 (e.g. `surveyScores(events, 'nps_response')`).
 * @returns counts, shares, the score and its CI.
 * @throws ValidationError listing every answer that is not an integer 0..10.
 * @example
 * ```ts
 * nps([10, 10, 9, 8, 7, 6, 5, 0, 10, 3]);
 * // => { value: 0, n: 10, promoters: 4, passives: 2, detractors: 4, promoterShare: 0.4, ...,
 * //      ci: { lower: -55.4, upper: 55.4, level: 0.95, method: 'wald-multinomial' } }
 * ```
 */
export function nps(scores: readonly number[]): NpsResult {
  checkScores(scores, 0, 10, 'nps');
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    if (s >= 9) promoters++;
    else if (s >= 7) passives++;
    else detractors++;
  }
  const n = scores.length;
  if (n === 0) {
    return {
      value: null,
      n: 0,
      reason: 'no answers',
      promoters,
      passives,
      detractors,
      promoterShare: null,
      passiveShare: null,
      detractorShare: null,
      ci: null,
    };
  }
  const pP = promoters / n;
  const pD = detractors / n;
  const diff = pP - pD;
  const variance = Math.max(0, (pP + pD - diff * diff) / n);
  const half = Z95 * 100 * Math.sqrt(variance);
  const value = 100 * diff;
  return {
    value,
    n,
    promoters,
    passives,
    detractors,
    promoterShare: pP,
    passiveShare: passives / n,
    detractorShare: pD,
    ci: {
      lower: Math.max(-100, value - half),
      upper: Math.min(100, value + half),
      level: 0.95,
      method: 'wald-multinomial',
    },
  };
}
