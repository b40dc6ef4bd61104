import { describe, expect, it } from 'vitest';
import * as acquisition from '../src/acquisition/index';
import * as actions from '../src/actions/index';
import * as churn from '../src/churn/index';
import * as clv from '../src/clv/index';
import * as events from '../src/events/index';
import * as fairness from '../src/fairness/index';
import * as health from '../src/health/index';
import * as root from '../src/index';
import * as metrics from '../src/metrics/index';
import * as onboarding from '../src/onboarding/index';
import * as privacy from '../src/privacy/index';
import * as sample from '../src/sample/index';
import * as segment from '../src/segment/index';
import * as sql from '../src/sql/index';
import * as store from '../src/store/index';

const modules = {
  events,
  sample,
  metrics,
  health,
  churn,
  clv,
  segment,
  store,
  sql,
  actions,
  onboarding,
  acquisition,
  fairness,
  privacy,
} as const;

describe('the root export', () => {
  it.each(Object.entries(modules))(
    're-exports every runtime export of %s, as the same object',
    (_name, mod) => {
      const missing = Object.keys(mod).filter((k) => !(k in root));
      expect(missing).toEqual([]);
      for (const k of Object.keys(mod))
        expect((root as Record<string, unknown>)[k]).toBe((mod as Record<string, unknown>)[k]);
    },
  );
  it('exports nothing that no module exports', () => {
    const all = new Set(Object.values(modules).flatMap((m) => Object.keys(m)));
    expect(Object.keys(root).filter((k) => !all.has(k))).toEqual([]);
  });
});
