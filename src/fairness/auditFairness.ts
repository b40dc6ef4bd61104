import { checkOptions, optionError } from '../_lib/errors';
import type { VitalsWarning } from '../types';
import { compareToReference, groupFigures, spread } from './_fairnessGroups';
import { FN, readFairnessInput, readFairnessOptions } from './_fairnessInput';
import type { FairnessAudit, FairnessFlag, FairnessWarningCode } from './types';

const KEYS = ['threshold', 'minGroupSize', 'limits', 'reference', 'higherIsRisk'];

/** What `auditFairness` audits: one prediction, outcome and group per customer. */
export interface FairnessInput {
  /** Churn probabilities in [0, 1] (higher = riskier). Give this or `scores`. */
  probabilities?: ArrayLike<number>;
  /** Scores (e.g. health 0–100, higher = healthier unless `higherIsRisk`). Give this or `probabilities`. */
  scores?: ArrayLike<number>;
  /** Observed outcome per customer: 1/true = churned. */
  outcomes: ArrayLike<number | boolean>;
  /** Group label per customer (region, company size, language, ...). */
  groups: ArrayLike<string>;
}

/** Options of {@link auditFairness}. */
export interface AuditFairnessOptions {
  /**
   * Threshold that selects a customer as "at risk": probability ≥ threshold, or score ≤ threshold
   * (score ≥ threshold with `higherIsRisk`). Required for `scores`. @default 0.5 for probabilities
   */
  threshold?: number;
  /** Groups smaller than this are reported, not judged. @default 30 */
  minGroupSize?: number;
  /** Largest acceptable absolute gaps. @default { demographicParity: 0.1, equalisedOdds: 0.1, auc: 0.05 } */
  limits?: { demographicParity?: number; equalisedOdds?: number; auc?: number };
  /** Group the others are compared with. @default the largest judged group */
  reference?: string;
  /** For `scores`: whether a higher score means more risk. @default false */
  higherIsRisk?: boolean;
}
/**
 * Fairness audit of a churn model's probabilities or a health score across customer groups. Per
 * group: n, base rate (Wilson 95% interval), AUC (DeLong 95% interval), calibration-in-the-large
 * (mean predicted − observed) and by decile of the predictions, selection rate, true and false
 * positive rates at a threshold. Between groups: each judged group's gap to the reference group in
 * selection rate (demographic parity), TPR and FPR (equalised odds) and AUC, with Wald 95%
 * intervals (independent groups); overall, the demographic-parity difference (max − min selection
 * rate) and the equalised-odds difference (max of the TPR and FPR spreads) as defined by fairlearn
 * (Bird et al. 2020; Hardt, Price & Srebro 2016 for equalised odds). A gap larger than its limit is
 * flagged, and the flag says whether the interval excludes 0 (significant) or the data cannot tell.
 *
 * Missing-data policy: rows with a non-finite prediction, a missing outcome or group are rejected
 * with located errors (nothing is imputed). Groups below `minGroupSize` are reported with
 * `judged: false` and a `small_group` warning, and left out of gaps and flags. Rates undefined for
 * a group (no positives → TPR) are null, never NaN. Warning codes: `small_group`,
 * `single_class_group` (AUC undefined), `too_few_groups` (fewer than 2 judged groups: no gaps),
 * `scores_not_probabilities` (calibration needs probabilities; skipped for scores).
 *
 * @param input predictions, outcomes and group labels, all the same length.
 * @param options threshold, minimum group size, limits, reference group, score direction.
 * @returns per-group figures, gaps, overall differences, flags and warnings.
 * @throws ValidationError for unknown options or keys, mismatched lengths or invalid rows.
 * @example
 * ```ts
 * const audit = auditFairness(
 *   { probabilities: [0.9, 0.8, 0.2, 0.1, 0.9, 0.3, 0.2, 0.1], outcomes: [1, 0, 0, 0, 1, 0, 0, 0], groups: ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'] },
 *   { minGroupSize: 1 },
 * );
 * audit.demographicParityDifference?.difference; // => 0.25 (selection 2/4 in a vs 1/4 in b)
 * ```
 */
export function auditFairness(input: FairnessInput, options: AuditFairnessOptions = {}): FairnessAudit {
  checkOptions(FN, options, KEYS);
  const rows = readFairnessInput(input);
  const { hasP, kind, n } = rows;
  const settings = readFairnessOptions(options, hasP);
  const { minGroupSize, threshold } = settings;
  const { out, byGroup, aucVar, small, oneClass } = groupFigures(rows, settings);
  const warnings = groupWarnings(small, oneClass, minGroupSize, hasP);
  const judged = out.filter((g) => g.judged);
  let reference: string | null = null;
  if (options.reference !== undefined) {
    if (!byGroup.has(options.reference))
      throw optionError(
        FN,
        'reference',
        `is not one of the groups (${[...byGroup.keys()].slice(0, 10).join(', ')})`,
        'invalid_value',
      );
    reference = options.reference;
  } else if (judged.length > 0) {
    reference = judged.reduce((b, g) => (g.n > b.n ? g : b)).group;
  }
  const flags: FairnessFlag[] = [];
  const ref = out.find((g) => g.group === reference);
  if (ref?.judged) {
    for (const g of judged) {
      if (g === ref) continue;
      compareToReference(g, ref, aucVar, settings.limits, flags);
    }
  }
  if (judged.length < 2)
    warnings.push({
      code: 'too_few_groups',
      message: `Only ${judged.length} group(s) reach ${minGroupSize} customers, so no gaps were computed.`,
    });
  const dp = spread(
    judged,
    (g) => g.selectionRate,
    (g) => g.n,
  );
  const tprS = spread(
    judged,
    (g) => g.truePositiveRate,
    (g) => g.positives,
  );
  const fprS = spread(
    judged,
    (g) => g.falsePositiveRate,
    (g) => g.n - g.positives,
  );
  const eo = tprS === null ? fprS : fprS === null ? tprS : tprS.difference >= fprS.difference ? tprS : fprS;
  return {
    kind,
    threshold,
    reference,
    groups: out,
    demographicParityDifference: dp,
    equalisedOddsDifference: eo,
    flags,
    n,
    dataUsed: [kind, 'outcomes', 'groups'],
    warnings,
  };
}

/** `small_group`, `single_class_group` and `scores_not_probabilities`, in that order. */
function groupWarnings(
  small: string[],
  oneClass: string[],
  minGroupSize: number,
  hasP: boolean,
): VitalsWarning<FairnessWarningCode>[] {
  const warnings: VitalsWarning<FairnessWarningCode>[] = [];
  if (small.length > 0)
    warnings.push({
      code: 'small_group',
      message: `${small.length} group(s) have fewer than ${minGroupSize} customers and are reported but not judged: ${small.slice(0, 5).join(', ')}${small.length > 5 ? ', …' : ''}.`,
    });
  if (oneClass.length > 0)
    warnings.push({
      code: 'single_class_group',
      message: `AUC is undefined in ${oneClass.length} group(s) with only one outcome class: ${oneClass.slice(0, 5).join(', ')}.`,
    });
  if (!hasP)
    warnings.push({
      code: 'scores_not_probabilities',
      message: 'Scores are not probabilities, so calibration was not assessed.',
    });
  return warnings;
}
