import { checkOptions } from '../_lib/errors';
import { type CustomSignals, compileScorecards } from './compileScorecard';
import type { Scorecard, ScorecardSet } from './scorecardSchema';

/** Options of {@link parseScorecard}. */
export interface ParseScorecardOptions {
  /** Custom signals the scorecard may reference by name. @default none */
  signals?: CustomSignals;
}

/**
 * Validates a scorecard or scorecard set read from JSON: the zod shape (curves, weights >= 0,
 * bands, conditions) plus the semantic rules (unique measure and group ids, known signals, step
 * curves with one more point than thresholds and ascending thresholds, ascending bands starting at
 * 0, at least one measure, unique scorecard ids in a set).
 *
 * Missing data: optional fields keep their documented defaults (they are not filled in).
 *
 * @param input the parsed JSON value.
 * @param options custom signals referenced by the scorecard.
 * @returns the same value, typed, when valid.
 * @throws ValidationError listing every located issue, e.g.
 *   `parseScorecard: invalid scorecard: field "groups.0.measures.1.signal": unknown signal "logns"`.
 * @example
 * ```ts
 * const card = parseScorecard(JSON.parse(readFileSync('health.json', 'utf8')));
 * scoreHealth(events, { asOf: '2025-06-01', scorecard: card });
 * ```
 */
export function parseScorecard(
  input: unknown,
  options: ParseScorecardOptions = {},
): Scorecard | ScorecardSet {
  checkOptions('parseScorecard', options, ['signals']);
  const set = compileScorecards(input, options.signals, 'parseScorecard');
  if (
    set.rules.length === 0 &&
    !(input !== null && typeof input === 'object' && Object.hasOwn(input, 'default'))
  ) {
    return set.fallback.source;
  }
  return {
    rules: set.rules.map((r) => ({ when: r.when, scorecard: r.scorecard.source })),
    default: set.fallback.source,
  };
}
