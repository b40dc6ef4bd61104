import { describe, expect, it } from 'vitest';
import { generateActionEvents } from '../../src/sample/index';

describe('generateActionEvents', () => {
  it('is deterministic for a seed and keeps account i the same whatever the number of accounts', () => {
    const a = generateActionEvents({ customers: 200, seed: 3 });
    expect(generateActionEvents({ customers: 200, seed: 3 })).toEqual(a);
    const small = generateActionEvents({ customers: 20, seed: 3 });
    const pick = (s: typeof a) => s.events.filter((e) => e.customerId === 'acct_0007');
    expect(pick(small)).toEqual(pick(a));
  });
  it('states the known effect and targets riskier accounts more often', () => {
    const s = generateActionEvents({ customers: 2000, seed: 5, effect: 0.5 });
    const treated = s.truth.filter((t) => t.treated);
    const meanP = treated.reduce((a, t) => a + t.baseProbability, 0) / treated.length;
    expect(s.expectedEffect).toBeCloseTo(-0.5 * meanP, 12);
    const rate = (band: string) => {
      const b = s.truth.filter((t) => t.band === band);
      return b.filter((t) => t.treated).length / b.length;
    };
    expect(rate('at_risk')).toBeGreaterThan(rate('watch'));
    expect(rate('watch')).toBeGreaterThan(rate('healthy'));
    expect(s.truth.every((t) => !t.churnWith || t.churnWithout)).toBe(true);
    expect(s.events.filter((e) => e.type === 'cs_action')).toHaveLength(treated.length);
  });
  it('rejects unknown options and out-of-range effects', () => {
    expect(() => generateActionEvents({ efect: 0.2 } as never)).toThrow(/did you mean "effect"/);
    expect(() => generateActionEvents({ effect: 2 })).toThrow(/effect/);
  });
});
