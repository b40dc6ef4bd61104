/**
 * The estimate of `actionEffect`: treated and comparable untreated units placed in strata (band ×
 * churn-probability bin), the weighted difference of their outcome rates, warnings and result.
 */
import { createRng } from '../_lib/random';
import { MS_PER_DAY } from '../_lib/time';
import type { VitalsWarning } from '../types';
import type { Cust, EffectSettings, StatePoint } from './_effectInput';
import { adjustedPropVar, twoSidedP, Z95 } from './_stats';
import type { ActionEffectResult, ActionEffectWarningCode, EffectStratum } from './types';

const METHOD =
  'Stratified comparison (exact matching on strata): each treated customer is indexed at its first action, ' +
  'each untreated customer at one of its states with full follow-up and no action within the horizon either side ' +
  '(chosen at random with the seed, one unit per customer); units are grouped by health band × churn-probability ' +
  'bin of the latest state at or before the index; within each stratum the outcome rates are compared and the ' +
  'differences averaged with the numbers of treated as weights (effect on the treated). Standard error from the ' +
  'per-stratum binomial variances (Agresti–Caffo adjusted), 95% normal interval.';
const CAVEAT =
  'Observational estimate: the action was not randomised. It removes differences in band and churn probability ' +
  'at the time, not in anything else that made the team act (what the CSM knew, the account’s mood); ' +
  'treat it as evidence, and test the action with a holdout to be sure.';

function bisect(edges: readonly number[], p: number): number {
  for (let k = edges.length - 2; k >= 0; k--) if (p >= (edges[k] as number)) return k;
  return 0;
}

/** The units placed in strata, with the counts of those left out. */
export interface Units {
  strata: Map<string, EffectStratum>;
  noState: number;
  incomplete: number;
  treated: number;
  controls: number;
}

/** Whether the customer is a customer at `t` (always, unless the outcome is churn). */
function activeAt(churnOutcome: boolean, c: Cust | undefined, t: number): boolean {
  if (!churnOutcome || !c) return true;
  let cancelled = false;
  for (const s of c.subs) {
    if (s.t > t) break;
    cancelled = s.cancel;
  }
  return !cancelled;
}

/** Whether an outcome falls in `(t, t + H]`. */
function outcomeIn(c: Cust | undefined, t: number, H: number): boolean {
  if (!c) return false;
  for (const o of c.outcomes) if (o > t && o <= t + H) return true;
  return false;
}

/** The latest state at or before `t`, when at most `maxAge` days old. */
function stateAt(list: StatePoint[] | undefined, t: number, maxAge: number): StatePoint | null {
  if (!list) return null;
  let best: StatePoint | null = null;
  for (const s of list) {
    if (s.at > t) break;
    best = s;
  }
  return best !== null && t - best.at <= maxAge * MS_PER_DAY ? best : null;
}

/** The stratum of a band and probability, created on first use. */
function cell(
  strata: Map<string, EffectStratum>,
  edges: readonly number[],
  band: string,
  p: number,
): EffectStratum {
  const k = bisect(edges, p);
  const key = `${band}\u0000${k}`;
  let s = strata.get(key);
  if (!s) {
    s = {
      band,
      bin: [edges[k] as number, edges[k + 1] as number],
      treated: 0,
      treatedEvents: 0,
      controls: 0,
      controlEvents: 0,
      difference: null,
    };
    strata.set(key, s);
  }
  return s;
}

/**
 * Each treated customer indexed at its first action, then each untreated customer at one of its
 * eligible states (drawn with the seed, in id order), placed in their strata.
 */
export function placeUnits(
  custs: Map<string, Cust>,
  stateBy: Map<string, StatePoint[]>,
  o: EffectSettings,
): Units {
  const units: Units = { strata: new Map(), noState: 0, incomplete: 0, treated: 0, controls: 0 };
  const churnOutcome = o.outcome === 'subscription_cancelled';
  const treatedIds = new Set<string>();
  const ids = [...new Set([...custs.keys(), ...stateBy.keys()])].sort();
  for (const id of ids) {
    const c = custs.get(id);
    if (c && c.actions.length > 0) {
      treatedIds.add(id);
      const a = c.actions[0] as number;
      if (a + o.H > o.asOf) {
        units.incomplete++;
        continue;
      }
      if (!activeAt(churnOutcome, c, a)) continue;
      const st = stateAt(stateBy.get(id), a, o.maxAge);
      if (st === null) {
        units.noState++;
        continue;
      }
      const s = cell(units.strata, o.edges, st.band, st.p);
      s.treated++;
      if (outcomeIn(c, a, o.H)) s.treatedEvents++;
      units.treated++;
    }
  }
  placeControls(units, ids, treatedIds, custs, stateBy, o, churnOutcome);
  return units;
}

function placeControls(
  units: Units,
  ids: string[],
  treatedIds: Set<string>,
  custs: Map<string, Cust>,
  stateBy: Map<string, StatePoint[]>,
  o: EffectSettings,
  churnOutcome: boolean,
): void {
  const rng = createRng(`${o.seed}:actionEffect`);
  for (const id of ids) {
    if (treatedIds.has(id)) continue;
    const list = stateBy.get(id);
    if (!list) continue;
    const c = custs.get(id);
    const eligible = list.filter((s) => s.at + o.H <= o.asOf && activeAt(churnOutcome, c, s.at));
    if (eligible.length === 0) continue;
    const st =
      eligible.length === 1
        ? (eligible[0] as (typeof eligible)[0])
        : (eligible[rng.int(eligible.length)] as (typeof eligible)[0]);
    const s = cell(units.strata, o.edges, st.band, st.p);
    s.controls++;
    if (outcomeIn(c, st.at, o.H)) s.controlEvents++;
    units.controls++;
  }
}

/** The strata in band then bin order, and the sums of the estimate over them. */
interface Pooled {
  list: EffectStratum[];
  W: number;
  sumD: number;
  sumV: number;
  sumT: number;
  sumC: number;
  allTE: number;
  allCE: number;
}

/**
 * Strata in band then bin order, and the weighted sums of the estimate (weights: treated per
 * stratum); sets each stratum's `difference` where it has both sides.
 */
export function pool(strata: Map<string, EffectStratum>): Pooled {
  const list = [...strata.values()].sort((a, b) =>
    a.band < b.band ? -1 : a.band > b.band ? 1 : a.bin[0] - b.bin[0],
  );
  let W = 0;
  let sumD = 0;
  let sumV = 0;
  let sumT = 0;
  let sumC = 0;
  let allTE = 0;
  let allCE = 0;
  for (const s of list) {
    allTE += s.treatedEvents;
    allCE += s.controlEvents;
    if (s.treated === 0 || s.controls === 0) continue;
    const pt = s.treatedEvents / s.treated;
    const pc = s.controlEvents / s.controls;
    s.difference = pt - pc;
    W += s.treated;
    sumD += s.treated * s.difference;
    sumT += s.treated * pt;
    sumC += s.treated * pc;
    sumV +=
      s.treated *
      s.treated *
      (adjustedPropVar(s.treatedEvents, s.treated) + adjustedPropVar(s.controlEvents, s.controls));
  }
  return { list, W, sumD, sumV, sumT, sumC, allTE, allCE };
}

/** The warnings, the naive difference and the result (effect null with a reason when no stratum has both sides). */
export function effectResult(units: Units, pooled: Pooled, o: EffectSettings): ActionEffectResult {
  const { treated, controls } = units;
  const { list, W, sumD, sumV, sumT, sumC, allTE, allCE } = pooled;
  const { horizonDays, action, outcome, actionType } = o;
  const warnings = effectWarnings(units, W, o);
  const naive = treated > 0 && controls > 0 ? allTE / treated - allCE / controls : null;
  const base = {
    action,
    outcome,
    horizonDays,
    naiveEffect: naive,
    treated,
    matchedTreated: W,
    controls,
    strata: list,
    method: METHOD,
    caveat: CAVEAT,
    dataUsed: [
      'customerId',
      'type',
      'timestamp',
      `properties.action (${actionType})`,
      'states.band',
      'states.churnProbability',
      'states.at',
    ],
    warnings,
  };
  if (W === 0)
    return {
      ...base,
      effect: null,
      interval: null,
      standardError: null,
      pValue: null,
      treatedRate: null,
      controlRate: null,
      reason:
        treated === 0
          ? `no customer got "${action}" with a state and ${horizonDays} days of follow-up before asOf`
          : 'no stratum (band × probability bin) holds both treated and untreated customers',
    };
  const effect = sumD / W;
  const se = Math.sqrt(sumV) / W;
  return {
    ...base,
    effect,
    interval: [effect - Z95 * se, effect + Z95 * se],
    standardError: se,
    pValue: se > 0 ? twoSidedP(effect / se) : effect === 0 ? 1 : 0,
    treatedRate: sumT / W,
    controlRate: sumC / W,
    reason: null,
  };
}

/** `no_state`, `incomplete_follow_up`, `unmatched_treated`, `few_treated`, `few_controls`. */
function effectWarnings(
  units: Units,
  W: number,
  o: EffectSettings,
): VitalsWarning<ActionEffectWarningCode>[] {
  const { noState, incomplete, treated, controls } = units;
  const { maxAge, horizonDays } = o;
  const warnings: VitalsWarning<ActionEffectWarningCode>[] = [];
  if (noState > 0)
    warnings.push({
      code: 'no_state',
      message: `${noState} treated customer(s) had no state within ${maxAge} days before the action and were left out.`,
    });
  if (incomplete > 0)
    warnings.push({
      code: 'incomplete_follow_up',
      message: `${incomplete} treated customer(s) got the action less than ${horizonDays} days before asOf and were left out (follow-up incomplete).`,
    });
  const unmatched = treated - W;
  if (unmatched > 0)
    warnings.push({
      code: 'unmatched_treated',
      message: `${unmatched} treated customer(s) fell in strata with no comparable untreated customer and are not in the estimate.`,
    });
  if (treated < 30)
    warnings.push({
      code: 'few_treated',
      message: `Only ${treated} treated customer(s) could be compared; the interval is wide.`,
    });
  if (controls < 30)
    warnings.push({
      code: 'few_controls',
      message: `Only ${controls} untreated customer(s) could serve as comparison.`,
    });
  return warnings;
}
