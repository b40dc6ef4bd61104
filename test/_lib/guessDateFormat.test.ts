/** guessDateFormat on a non-iterable (#18 fuzz finding: "values is not iterable" TypeError). */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { showValue } from '../../src/_lib/safe';
import { guessDateFormat } from '../../src/_lib/time';

describe('guessDateFormat validates its input', () => {
  it.each([
    [-8e-10, '-8e-10'],
    [null, 'null'],
    [undefined, 'undefined'],
    [{ hasOwnProperty: 'x' }, 'an object'],
  ])('rejects %s with a located error', (v, got) => {
    expect(() => guessDateFormat(v as never)).toThrow(ValidationError);
    expect(() => guessDateFormat(v as never)).toThrow(
      `guessDateFormat: values must be an array (or another iterable) of the column's values, got ${got}`,
    );
  });

  it('rejects a string (it would be read one character at a time)', () => {
    expect(() => guessDateFormat('2024-01-31' as never)).toThrow(/got a string \(pass the column/);
  });

  it('still reads arrays and Sets', () => {
    expect(guessDateFormat(new Set(['25.12.2010', '1.2.2011'])).format).toBe('d.M.yyyy');
    expect(guessDateFormat([]).format).toBeNull();
  });
});

describe('showValue (messages about hostile values)', () => {
  it('never calls String() on an object', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(showValue(Object.create(null))).toBe('an object');
    expect(showValue(circular)).toBe('an object');
    expect(showValue(new Map())).toBe('a Map');
    expect(showValue([1])).toBe('an array');
    expect(showValue(new Date(Number.NaN))).toBe('an invalid Date');
    expect(showValue(new Date(0))).toBe('a Date (1970-01-01T00:00:00.000Z)');
    expect(showValue(Symbol.iterator)).toBe('a symbol');
    expect(showValue(10n)).toBe('10n');
    expect(showValue(-0)).toBe('-0');
    expect(showValue('a"b')).toBe('"a\\"b"');
  });
});
