import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { parsePlaybook, recommendActions } from '../../src/actions/index';

const PLAYBOOK = {
  name: 'retention',
  plays: [
    {
      id: 'billing',
      when: 'failedPayments >= 2',
      reason: '2 failed payments',
      action: 'update_billing',
      owner: 'billing',
      dueDays: 3,
    },
    {
      id: 'rescue',
      when: { all: ['band == at_risk', 'logins.change < -0.5'] },
      reason: 'logins fell > 50%',
      action: 'exec_call',
      owner: 'csm',
      priority: 1,
    },
    { id: 'expand', when: 'band == healthy', action: 'expansion_review', owner: 'account_exec', dueDays: 30 },
  ],
};
const ASOF = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;

describe('parsePlaybook', () => {
  it('compiles plays with defaults and lists the fields the conditions read', () => {
    const pb = parsePlaybook(PLAYBOOK);
    expect(pb.plays.map((p) => [p.id, p.dueDays, p.priority])).toEqual([
      ['billing', 3, 0],
      ['rescue', 7, 1],
      ['expand', 30, 0],
    ]);
    expect(pb.plays[2]?.reason).toBe('band == healthy');
    expect(pb.fields).toEqual(['band', 'failedPayments', 'logins.change']);
  });
  it('locates every problem: unknown keys with a suggestion, bad conditions, duplicate ids', () => {
    const bad = {
      plays: [
        { id: 'a', when: 'x >', action: 'a', owner: 'o' },
        { id: 'a', when: 'x > 1', action: 'a', ownr: 'o' },
        { id: 'b', when: 'x > 1', action: 'a', owner: 'o', dueDays: -1 },
        { id: 'a', when: 'x > 1', action: 'a', owner: 'o' },
      ],
    };
    try {
      parsePlaybook(bad);
      expect.unreachable();
    } catch (e) {
      const issues = (e as ValidationError).issues;
      expect(issues.some((i) => i.path.join('.') === 'plays.0.when')).toBe(true);
      const unknown = issues.find((i) => i.path.join('.') === 'plays.1.ownr');
      expect(unknown?.message).toContain('did you mean "owner"');
      expect(issues.some((i) => i.path.join('.') === 'plays.2.dueDays')).toBe(true);
      expect(issues.some((i) => i.code === 'duplicate_id' && i.path.join('.') === 'plays.3.id')).toBe(true);
    }
    expect(() => parsePlaybook({ plays: [] })).toThrow(ValidationError);
    expect(() => parsePlaybook({ plays: [], nme: 'x' })).toThrow(/did you mean "name"/);
    expect(() => parsePlaybook(null)).toThrow(ValidationError);
  });
});

describe('recommendActions', () => {
  const customers = [
    { customerId: 'a', failedPayments: 2, band: 'watch', churnProbability: 0.64, clv: 4200 },
    {
      customerId: 'b',
      band: 'at_risk',
      logins: { change: -0.6 },
      failedPayments: 3,
      churnProbability: 0.5,
      mrr: 800,
    },
    { customerId: 'c', band: 'healthy', churnProbability: 0.05, clv: 10_000 },
    { customerId: 'd', band: 'watch', churnProbability: 0.9, clv: 1e6 },
    { customerId: 'e', band: 'healthy' },
  ];

  it('ranks customers by churn probability × value and explains each action', () => {
    const r = recommendActions(customers, PLAYBOOK, { asOf: ASOF, currency: 'USD' });
    // b: 0.5 × 800 × 12 = 4800; a: 0.64 × 4200 = 2688; c: 0.05 × 10000 = 500; e: unknown → last. d matches nothing.
    expect(r.customers.map((c) => [c.customerId, c.valueAtStake])).toEqual([
      ['b', 4800],
      ['a', 0.64 * 4200],
      ['c', 500],
      ['e', null],
    ]);
    const a = r.customers[1]?.actions[0];
    expect(a?.explanation).toBe('2 failed payments → update_billing; $4,200.00 CLV at 64% risk');
    expect(a?.dueAt).toBe(ASOF + 3 * DAY);
    expect(a?.basis).toBe('clv');
    // b matches two plays; the higher priority one comes first.
    expect(r.customers[0]?.actions.map((x) => x.playId)).toEqual(['rescue', 'billing']);
    expect(r.customers[0]?.actions[0]?.explanation).toBe(
      'logins fell > 50% → exec_call; $800.00 MRR × 12 months at 50% risk',
    );
    expect(r.matched.get('billing')).toBe(2);
    expect(r.matched.get('expand')).toBe(2);
    expect(r.warnings.map((w) => w.code).sort()).toEqual(['no_probability', 'no_value_basis']);
    expect(r.dataUsed).toEqual([
      'band',
      'churnProbability',
      'clv',
      'customerId',
      'failedPayments',
      'logins.change',
      'mrr',
    ]);
  });
  it('honours mrrMonths and maxPerCustomer, and takes a compiled playbook', () => {
    const pb = parsePlaybook(PLAYBOOK);
    const r = recommendActions(customers, pb, { asOf: ASOF, mrrMonths: 3, maxPerCustomer: 1 });
    // b: 0.5 × 800 × 3 = 1200 < a's 2688
    expect(r.customers.map((c) => c.customerId)).toEqual(['a', 'b', 'c', 'e']);
    expect(r.customers[1]?.actions).toHaveLength(1);
    expect(r.customers[0]?.actions[0]?.explanation).toBe(
      '2 failed payments → update_billing; 4,200.00 CLV at 64% risk',
    );
  });
  it('uses a repeated customer once, with a warning', () => {
    const r = recommendActions([customers[0], customers[0]] as typeof customers, PLAYBOOK, { asOf: ASOF });
    expect(r.customers).toHaveLength(1);
    expect(r.warnings.map((w) => w.code)).toEqual(['duplicate_customer']);
  });
  it('returns no NaN for an empty list and rejects bad input with located errors', () => {
    expect(recommendActions([], PLAYBOOK, { asOf: ASOF }).customers).toEqual([]);
    expect(() => recommendActions(customers, PLAYBOOK, {})).toThrow(/"asOf" is required/);
    expect(() => recommendActions(customers, PLAYBOOK, { asOf: ASOF, mrrMonth: 3 } as never)).toThrow(
      /did you mean "mrrMonths"/,
    );
    expect(() => recommendActions(customers, PLAYBOOK, { asOf: ASOF, currency: 'dollars' })).toThrow(
      /currency/,
    );
    try {
      recommendActions(
        [{ customerId: 'x', churnProbability: 1.5 }, { customerId: '' }, 3] as never,
        PLAYBOOK,
        { asOf: ASOF },
      );
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).issues.map((i) => [i.index, i.path.join('.')])).toEqual([
        [0, 'churnProbability'],
        [1, 'customerId'],
        [2, ''],
      ]);
    }
  });
});
