import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdIndex } from '../../src/_lib/IdIndex';

describe('IdIndex', () => {
  it('assigns dense indexes in first-seen order, like a Map, through growth (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 300 }), (keys) => {
        const idx = new IdIndex(2); // tiny start: forces several grow() calls
        const ref = new Map<string, number>();
        for (const k of keys) {
          if (!ref.has(k)) ref.set(k, ref.size);
          expect(idx.indexOf(k)).toBe(ref.get(k));
        }
        expect(idx.size).toBe(ref.size);
        expect(idx.ids).toEqual([...ref.keys()]);
      }),
    );
  });
  it('treats __proto__ and constructor as ordinary ids', () => {
    const idx = new IdIndex();
    expect(idx.indexOf('__proto__')).toBe(0);
    expect(idx.indexOf('constructor')).toBe(1);
    expect(idx.indexOf('__proto__')).toBe(0);
  });
});
