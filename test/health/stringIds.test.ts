import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringIds } from '../../src/health/_eventColumns';

describe('StringIds (dense ids of the grouping)', () => {
  it('gives each distinct string the index of its first occurrence, across table growth', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 3000 }), (keys) => {
        const ids = new StringIds();
        const first = new Map<string, number>();
        for (const k of keys) {
          if (!first.has(k)) first.set(k, first.size);
          expect(ids.id(k)).toBe(first.get(k));
        }
        expect(ids.size).toBe(first.size);
      }),
      { numRuns: 60 },
    );
  });

  it('tells apart many near-identical keys (fresh string objects, growth past 1024 slots)', () => {
    const ids = new StringIds();
    // 5,000 keys differing in their last characters: 'c000123-u3' style ids
    for (let i = 0; i < 5000; i++) expect(ids.id(`c${String(i).padStart(6, '0')}-u${i % 7}`)).toBe(i);
    // looked up again through new string objects built the same way: same ids
    for (let i = 4999; i >= 0; i--)
      expect(ids.id(['c', String(i).padStart(6, '0'), '-u', String(i % 7)].join(''))).toBe(i);
    expect(ids.id('')).toBe(5000);
    expect(ids.id('c000000-u0')).toBe(0);
    expect(ids.size).toBe(5001);
  });
});
