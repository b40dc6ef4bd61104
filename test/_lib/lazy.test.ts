import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { lazy } from '../../src/_lib/lazy';

describe('lazy', () => {
  it('builds nothing until the first call, then returns the same value on every call', () => {
    let builds = 0;
    const get = lazy(() => {
      builds++;
      return { n: builds };
    });
    expect(builds).toBe(0);
    const first = get();
    expect(first).toEqual({ n: 1 });
    expect(get()).toBe(first);
    expect(get()).toBe(first);
    expect(builds).toBe(1);
  });

  it('keeps a built value even when it is undefined (built once, not on every call)', () => {
    let builds = 0;
    const get = lazy((): undefined => {
      builds++;
      return undefined;
    });
    expect(get()).toBeUndefined();
    expect(get()).toBeUndefined();
    expect(builds).toBe(1);
  });

  it('keeps nothing when the build throws, and runs it again on the next call', () => {
    let calls = 0;
    const get = lazy(() => {
      calls++;
      if (calls === 1) throw new Error('first build fails');
      return calls;
    });
    expect(() => get()).toThrow('first build fails');
    expect(get()).toBe(2);
    expect(get()).toBe(2);
    expect(calls).toBe(2);
  });

  it('runs the TSDoc example: a zod schema built on first use', () => {
    const pointSchema = lazy(() => z.strictObject({ x: z.number(), y: z.number() }));
    expect(pointSchema().parse({ x: 1, y: 2 })).toEqual({ x: 1, y: 2 });
    const first = pointSchema();
    expect(pointSchema()).toBe(first);
    expect(pointSchema().safeParse({ x: 1, y: 2, z: 3 }).success).toBe(false);
  });
});
