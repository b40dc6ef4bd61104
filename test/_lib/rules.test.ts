import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../src/_lib/errors';
import { compileCondition, evaluateCondition, MAX_RULE_DEPTH } from '../../src/_lib/rules';

function compile(node: unknown) {
  const issues: ValidationIssue[] = [];
  const c = compileCondition(node, ['when'], issues);
  return { c, issues };
}

describe('rule language: the string form', () => {
  it.each<[string, unknown]>([
    ['score < 40', 40],
    ['score < .5', 0.5],
    ['score > +50', 50],
    ['score >= -3', -3],
    ['score == 1e3', 1000],
    ['plan == enterprise', 'enterprise'],
    ['plan == "two words"', 'two words'],
    ['flag == true', true],
    ['x == null', null],
  ])('reads %s', (text, value) => {
    const { c, issues } = compile(text);
    expect(issues).toEqual([]);
    expect(c).toMatchObject({ kind: 'cmp', value });
  });
  it('reads starts_with, ends_with, in and exists', () => {
    expect(compile('InvoiceNo starts_with C').c).toMatchObject({ op: 'starts_with', value: 'C' });
    expect(compile('email ends_with "@acme.com"').c).toMatchObject({ op: 'ends_with', value: '@acme.com' });
    expect(compile('plan in ["a", "b"]').c).toMatchObject({ op: 'in', value: ['a', 'b'] });
    expect(compile('email exists').c).toMatchObject({ op: 'exists' });
  });
  it('rejects 10k (a number with a suffix) instead of reading it as a string that never matches', () => {
    const { issues } = compile('revenue > 10k');
    expect(issues[0]?.code).toBe('invalid_value');
    expect(issues[0]?.message).toContain('10k is not a number');
  });
  it('parses in linear time and caps the length without echoing the input', () => {
    const hostile = `score < 1${' '.repeat(100_000)}!`;
    const t0 = performance.now();
    const { issues } = compile(hostile);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(issues[0]?.code).toBe('too_long');
    expect(issues[0]?.message.length).toBeLessThan(200);
    const long = compile(`a == ${'x'.repeat(900)}!`);
    expect(long.issues[0]?.message.length).toBeLessThan(300);
  });
  it('names an unknown operator', () => {
    expect(compile('score lt 40').issues[0]?.message).toContain('unknown operator "lt"');
  });
});

describe('rule language: nesting and evaluation', () => {
  it('caps any/all nesting at MAX_RULE_DEPTH, even 20,000 levels deep, without a stack overflow', () => {
    let node: unknown = 'a == 1';
    for (let i = 0; i < 20_000; i++) node = { any: [node] };
    const { issues } = compile(node);
    expect(issues.some((i) => i.code === 'too_deep' && i.message.includes(String(MAX_RULE_DEPTH)))).toBe(
      true,
    );
  });
  it('compares numeric text as a number when given a reader (CSV cells)', () => {
    const { c } = compile('Quantity < 0');
    const toNumber = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : undefined);
    expect(evaluateCondition(c, { Quantity: '-71' }, toNumber)).toBe(true);
    expect(evaluateCondition(c, { Quantity: '2' }, toNumber)).toBe(false);
    // Without a reader, a string is not comparable with a number: false (as segmentByRules documents).
    expect(evaluateCondition(c, { Quantity: '-71' })).toBe(false);
  });
  it('never reads the prototype chain', () => {
    const { c } = compile({ field: 'toString', op: 'exists' });
    expect(evaluateCondition(c, {})).toBe(false);
  });
});

describe('conditionPredicate', () => {
  it('agrees with evaluateCondition on random records (the reference)', async () => {
    const fc = (await import('fast-check')).default;
    const { conditionPredicate } = await import('../../src/_lib/rules');
    const toNumber = (v: unknown) =>
      typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : undefined;
    const conditions = [
      'q < 0',
      'q >= 2',
      'q <= -1.5',
      'q > 3',
      'id starts_with C',
      'id ends_with 9',
      'q == 1',
      'q exists',
      'q missing',
    ];
    const value = fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.constantFrom('C12', '-2', ' 3 ', 'x9', '', 'NaN'),
      fc.constant(null),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...conditions),
        fc.record({ q: value, id: value }, { requiredKeys: [] }),
        (text, record) => {
          const { c } = compile(text);
          expect(conditionPredicate(c, toNumber)(record)).toBe(evaluateCondition(c, record, toNumber));
          expect(conditionPredicate(c)(record)).toBe(evaluateCondition(c, record));
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });
});
