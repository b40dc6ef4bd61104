import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringIndex } from '../../src/_lib/StringIndex';

describe('StringIndex', () => {
  it('behaves like a Map<string, number> for any sequence of inserts (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 4 }), fc.nat(1000)), { maxLength: 200 }), (ops) => {
        const idx = new StringIndex(ops.length);
        const ref = new Map<string, number>();
        for (const [k, v] of ops) {
          const prior = idx.getOrSet(k, v);
          expect(prior).toBe(ref.get(k) ?? -1);
          if (!ref.has(k)) ref.set(k, v);
        }
        for (const [k, v] of ref) expect(idx.get(k)).toBe(v);
        expect(idx.get('\u0000absent')).toBe(-1);
      }),
    );
  });
  it('replaces values with set and treats __proto__ as an ordinary key', () => {
    const idx = new StringIndex(4);
    expect(idx.getOrSet('__proto__', 1)).toBe(-1);
    idx.set('__proto__', 7);
    expect(idx.get('__proto__')).toBe(7);
    expect(idx.get('constructor')).toBe(-1);
  });
});
