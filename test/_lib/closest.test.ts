import { describe, expect, it } from 'vitest';
import { closestName, didYouMean, editDistance } from '../../src/_lib/closest';
import { checkOptions, ISSUE_CODES, unknownKeyIssues, ValidationError } from '../../src/_lib/errors';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3); // k→s, e→i, +g
    expect(editDistance('modle', 'model')).toBe(1); // one transposition
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('Model', 'model')).toBe(0); // case-insensitive
  });
});

describe('closestName', () => {
  it('suggests the option a typo meant', () => {
    expect(closestName('modle', ['model', 'l2', 'trees'])).toBe('model');
    expect(closestName('higherIsbetter', ['higherIsBetter', 'missing', 'weight'])).toBe('higherIsBetter');
  });
  it('matches column names across case and separators', () => {
    expect(closestName('customer_id', ['CustomerID', 'Country', 'InvoiceNo'])).toBe('CustomerID');
  });
  it('suggests nothing when no candidate is close', () => {
    expect(closestName('kind', ['l2', 'trees', 'calibration'])).toBeUndefined();
    expect(closestName('zzzzzz', ['model'])).toBeUndefined();
    expect(didYouMean('zzzzzz', ['model'])).toBe('');
  });
  it('does no quadratic work on very long names', () => {
    expect(closestName('x'.repeat(100_000), ['x'])).toBeUndefined();
  });
});

describe('checkOptions', () => {
  const known = ['model', 'l2', 'trees'] as const;
  it('accepts undefined and known keys', () => {
    expect(() => checkOptions('f', undefined, known)).not.toThrow();
    expect(() => checkOptions('f', { model: 'trees', l2: undefined }, known)).not.toThrow();
  });
  it('rejects an unknown key with the closest valid one', () => {
    expect(() => checkOptions('trainChurnModel', { modle: 'trees' }, known)).toThrow(
      'trainChurnModel: unknown option "modle"; did you mean "model"?',
    );
  });
  it('reports every unknown key, each located, with code unknown_option', () => {
    try {
      checkOptions('f', { a1: 1, trees: {}, l3: 2 }, known);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const issues = (e as ValidationError).issues;
      expect(issues.map((i) => [i.path, i.code])).toEqual([
        [['a1'], 'unknown_option'],
        [['l3'], 'unknown_option'],
      ]);
      expect(issues[1]?.message).toBe('unknown option "l3"; did you mean "l2"?');
    }
  });
  it('rejects options that are not a plain object', () => {
    for (const bad of [null, 5, 'x', [], new Date(0)]) {
      expect(() => checkOptions('f', bad, known)).toThrow(ValidationError);
    }
  });
  it('treats prototype-named keys as ordinary unknown keys', () => {
    const o = JSON.parse('{"__proto__": 1, "constructor": 2}');
    expect(unknownKeyIssues(o, known).map((i) => i.path[0])).toEqual(['__proto__', 'constructor']);
  });
  it('truncates a huge key in the message', () => {
    const issues = unknownKeyIssues({ ['k'.repeat(10_000)]: 1 }, known);
    expect(issues[0]?.message.length).toBeLessThan(120);
  });
});

describe('ISSUE_CODES', () => {
  it('is a closed list without duplicates', () => {
    expect(new Set(ISSUE_CODES).size).toBe(ISSUE_CODES.length);
  });
});
