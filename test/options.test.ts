import { describe, expect, it } from 'vitest';
import * as api from '../src/index';

/**
 * Strict options (#12): every public function that takes options rejects an unknown key, naming the
 * closest valid one. checkOptions runs first in each function, so any arguments reach it: the bogus
 * options object is tried at each argument position until one is read as options.
 * Functions without an options argument are listed below with the reason.
 */
const NO_OPTIONS: Record<string, string> = {
  applyCurve: 'health: (curve, value, previous) — no options argument',
  explainChange: 'health: (before, after) — two results, no options argument',
  indexEvents: 'metrics: (events) — no options argument',
  nps: 'metrics: (scores) — the 0–10 scale is the definition of NPS, no options argument',
  bgbbLogLikelihood: 'clv: (params, history) — a formula, no options argument',
  loadClvModel: 'clv: (json) — the saved model is the only input, no options argument',
  compareEvents: 'events: (a, b) — a sort comparator, no options argument',
  groupByCustomer: 'events: (events) — no options argument',
  guessDateFormat: 'events: (values) — no options argument',
  applyCalibrator: 'churn: (calibrator, score) — a fitted map, no options argument',
  describeFeature: 'churn: (name, value) — a sentence helper, no options argument',
  evaluateChurnModel: 'churn: (model or predictions, rows) — no options argument',
  featureRows: 'churn: (table) — a reshaping, no options argument',
  fitCalibrator: 'churn: (scores, labels, method) — the method is the only setting, no options argument',
  loadChurnModel: 'churn: (json) — the saved model is the only input, no options argument',
  rocAuc: 'churn/_lib: (scores, labels) — a formula, no options argument',
  rocAucInterval: 'churn/_lib: (scores, labels) — a formula, no options argument',
  adjustedRandIndex: 'segment: (a, b) — two labelings, no options argument',
  parseRfmSegmentMap: 'segment: (map) — the segment map is the only input, no options argument',
  parseSegmentRules: 'segment: (rules) — the rules are the only input, no options argument',
  loadClusterModel: 'segment: (json) — the saved model is the only input, no options argument',
  parsePlaybook: 'actions: (playbook) — the playbook is the only input, no options argument',
  parseMilestones: 'onboarding: (milestones) — the milestones are the only input, no options argument',
  dataUsed: 'privacy: (modules) — a lookup, no options argument',
  dictCode: 'store: (column, row) — a column lookup, no options argument',
  isEventStore: 'store: (value) — a type guard, no options argument',
  storeEvents: 'store: (store) — a view, no options argument',
  storeTimelines: 'store: (store) — a view, no options argument',
  signalColumn: 'sql: (signal, days) — a column name, no options argument',
};

function isClass(f: unknown): boolean {
  return typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));
}

function rejectsUnknownOption(
  fn: (...args: unknown[]) => unknown,
): Promise<string | undefined> | string | undefined {
  const bogus = { modle: 1 };
  for (let pos = 0; pos < 4; pos++) {
    const args: unknown[] = [[], [], [], []].slice(0, pos);
    args.push(bogus);
    try {
      const r = fn(...args);
      if (r instanceof Promise) r.catch(() => {});
    } catch (e) {
      if (e instanceof api.ValidationError && e.issues.some((i) => i.code === 'unknown_option'))
        return e.message;
    }
  }
  return undefined;
}

const functions = Object.entries(api).filter(([, v]) => typeof v === 'function' && !isClass(v)) as [
  string,
  (...args: unknown[]) => unknown,
][];

describe('every public function rejects unknown option keys', () => {
  for (const [name, fn] of functions) {
    if (NO_OPTIONS[name]) continue;
    it(`${name} rejects an unknown option with a suggestion`, () => {
      const message = rejectsUnknownOption(fn);
      expect(message, `${name} accepted { modle: 1 } silently`).toMatch(/unknown option "modle"/);
    });
  }
  it('lists exemptions only for functions that exist', () => {
    for (const name of Object.keys(NO_OPTIONS)) expect(Object.keys(api)).toContain(name);
  });
});
