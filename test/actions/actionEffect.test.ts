import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../../src/_lib/errors';
import { actionEffect } from '../../src/actions/index';
import { generateActionEvents } from '../../src/sample/index';
import { nonFinite } from '../fairness/_finite';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

describe('actionEffect', () => {
  it('recovers the generator’s known effect within its 95% interval, where the naive comparison is confounded', () => {
    const s = generateActionEvents({ customers: 3000, seed: 17, effect: 0.4 });
    const r = actionEffect(s.events, { action: 'success_call', states: s.states, asOf: s.end });
    expect(r.effect).not.toBeNull();
    const [lo, hi] = r.interval as [number, number];
    expect(lo).toBeLessThan(s.expectedEffect);
    expect(hi).toBeGreaterThan(s.expectedEffect);
    expect(hi).toBeLessThan(0); // significant: the action helps
    expect(r.pValue as number).toBeLessThan(0.05);
    // Riskier accounts get the action more often, so the naive difference understates the benefit.
    expect(r.naiveEffect as number).toBeGreaterThan(hi);
    expect(r.caveat).toMatch(/Observational/);
    expect(r.method).toMatch(/band × churn-probability bin/);
    expect(r.warnings).toEqual([]);
  });
  it('finds no effect when the action does nothing (interval covers 0, naive is biased upwards)', () => {
    const s = generateActionEvents({ customers: 3000, seed: 19, effect: 0 });
    const r = actionEffect(s.events, { action: 'success_call', states: s.states, asOf: s.end });
    const [lo, hi] = r.interval as [number, number];
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(0);
    expect(r.naiveEffect as number).toBeGreaterThan(0.05);
  });
  it('covers the true effect in most of 20 seeded replications (nominal 95%)', () => {
    let covered = 0;
    for (let seed = 100; seed < 120; seed++) {
      const s = generateActionEvents({ customers: 1500, seed, effect: 0.3 });
      const r = actionEffect(s.events, { action: 'success_call', states: s.states, asOf: s.end });
      const [lo, hi] = r.interval as [number, number];
      if (lo <= s.expectedEffect && s.expectedEffect <= hi) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(17);
  });
  it('computes the stratified difference by hand on a tiny table', () => {
    // Stratum (at_risk, 0.5–1): treated t1 churns, t2 does not → 1/2; controls c1 churns, c2, c3 do not → 1/3.
    // Stratum (healthy, 0–0.1): treated t3 does not churn → 0/1; control c4 does not → 0/1.
    // effect = (2·(1/2 − 1/3) + 1·(0 − 0)) / 3 = 1/9.
    const ev = (customerId: string, type: string, days: number, properties?: Record<string, unknown>) => ({
      customerId,
      type,
      timestamp: T0 + days * DAY,
      ...(properties ? { properties } : {}),
    });
    const events = [
      ev('t1', 'cs_action', 0, { action: 'call' }),
      ev('t1', 'subscription_cancelled', 30),
      ev('t2', 'cs_action', 0, { action: 'call' }),
      ev('t3', 'cs_action', 0, { action: 'call' }),
      ev('t3', 'cs_action', 0, { action: 'other' }),
      ev('c1', 'subscription_cancelled', 90), // exactly at the horizon end: counts (half-open (t, t + 90d])
      ev('c2', 'subscription_cancelled', 91), // after the horizon
    ];
    const st = (customerId: string, band: string, churnProbability: number) => ({
      customerId,
      at: T0,
      band,
      churnProbability,
    });
    const states = [
      st('t1', 'at_risk', 0.6),
      st('t2', 'at_risk', 0.7),
      st('t3', 'healthy', 0.05),
      st('c1', 'at_risk', 0.55),
      st('c2', 'at_risk', 0.9),
      st('c3', 'at_risk', 1),
      st('c4', 'healthy', 0),
      st('c5', 'watch', 0.2), // its stratum has no treated: not used
    ];
    const r = actionEffect(events, { action: 'call', states, asOf: T0 + 200 * DAY });
    expect(r.treated).toBe(3);
    expect(r.controls).toBe(5);
    expect(r.effect).toBeCloseTo(1 / 9, 12);
    expect(r.treatedRate).toBeCloseTo((2 * 0.5 + 0) / 3, 12);
    expect(r.controlRate).toBeCloseTo((2 / 3 + 0) / 3, 12);
    // SE² = (2²·(V(1,2) + V(1,3)) + 1²·(V(0,1) + V(0,1))) / 3², V(x,n) = p̃(1−p̃)/n, p̃ = (x+1)/(n+2)
    const V = (x: number, n: number) => (((x + 1) / (n + 2)) * (1 - (x + 1) / (n + 2))) / n;
    const se = Math.sqrt(4 * (V(1, 2) + V(1, 3)) + (V(0, 1) + V(0, 1))) / 3;
    expect(r.standardError).toBeCloseTo(se, 12);
    expect(r.interval?.[0]).toBeCloseTo(1 / 9 - 1.959963984540054 * se, 12);
    // naive: treated 1/3, controls 1/5
    expect(r.naiveEffect).toBeCloseTo(1 / 3 - 1 / 5, 12);
    expect(r.strata.map((s) => [s.band, s.bin, s.treated, s.controls])).toEqual(
      [
        ['at_risk', [0.5, 1], 2, 3],
        ['healthy', [0, 0.1], 1, 1],
        ['watch', [0.1, 0.2], 0, 0],
        ['watch', [0.2, 0.3], 0, 1],
      ].filter((x) => (x[2] as number) + (x[3] as number) > 0),
    );
    expect(r.warnings.map((w) => w.code)).toEqual(['few_treated', 'few_controls']);
  });
  it('gives null + reason when nobody is comparable, and leaves out actions without follow-up', () => {
    const events = [{ customerId: 'a', type: 'cs_action', timestamp: T0, properties: { action: 'call' } }];
    const states = [{ customerId: 'a', at: T0, band: 'x', churnProbability: 0.5 }];
    const r = actionEffect(events, { action: 'call', states, asOf: T0 + 10 * DAY });
    expect(r.effect).toBeNull();
    expect(r.interval).toBeNull();
    expect(nonFinite(r)).toEqual([]);
    expect(r.reason).toMatch(/no customer got "call"/);
    expect(r.warnings.map((w) => w.code)).toContain('incomplete_follow_up');
    const r2 = actionEffect(events, { action: 'call', states, asOf: T0 + 100 * DAY });
    expect(r2.reason).toMatch(/no stratum/);
    expect(r2.warnings.map((w) => w.code)).toContain('unmatched_treated');
  });
  it('skips customers who had already cancelled, and states that are too old', () => {
    const events = [
      { customerId: 'a', type: 'subscription_cancelled', timestamp: T0 - DAY },
      { customerId: 'a', type: 'cs_action', timestamp: T0, properties: { action: 'call' } },
      { customerId: 'b', type: 'cs_action', timestamp: T0, properties: { action: 'call' } },
    ];
    const states = [
      { customerId: 'a', at: T0, band: 'x', churnProbability: 0.5 },
      { customerId: 'b', at: T0 - 60 * DAY, band: 'x', churnProbability: 0.5 },
    ];
    const r = actionEffect(events, { action: 'call', states, asOf: T0 + 100 * DAY });
    expect(r.treated).toBe(0);
    expect(r.warnings.map((w) => w.code)).toContain('no_state');
  });
  it('rejects bad options, events and states with located errors', () => {
    const states = [{ customerId: 'a', at: T0, band: 'x', churnProbability: 0.5 }];
    expect(() => actionEffect([], { states, asOf: T0 } as never)).toThrow(/"action" is required/);
    expect(() => actionEffect([], { action: 'a', states, asOf: T0, horizon: 3 } as never)).toThrow(
      /did you mean "horizonDays"/,
    );
    expect(() => actionEffect([], { action: 'a', states, asOf: T0, bins: [0, 0.5, 0.4, 1] })).toThrow(/bins/);
    try {
      actionEffect([{ customerId: 'a', type: 'x', timestamp: 'soon' }] as never, {
        action: 'a',
        states,
        asOf: T0,
      });
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).issues[0]).toMatchObject({ index: 0, path: ['timestamp'] });
    }
    try {
      actionEffect([], {
        action: 'a',
        states: [{ customerId: 'a', at: T0, band: 'x', churnProbability: 2 }],
        asOf: T0,
      });
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).issues[0]?.path).toEqual(['states', 0, 'churnProbability']);
    }
  });
});
