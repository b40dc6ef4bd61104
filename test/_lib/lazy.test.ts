import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { lazy, lazyObject } from '../../src/_lib/lazy';

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

describe('lazyObject', () => {
  it('builds nothing until the stand-in is first used, then forwards everything to one built object', () => {
    let builds = 0;
    const PointSchema = lazyObject(() => {
      builds++;
      return z.strictObject({ x: z.number(), y: z.number() });
    });
    expect(builds).toBe(0);
    expect(PointSchema.parse({ x: 1, y: 2 })).toEqual({ x: 1, y: 2 });
    expect(PointSchema instanceof z.ZodObject).toBe(true);
    expect(Object.keys(PointSchema.shape)).toEqual(['x', 'y']);
    expect('safeParse' in PointSchema).toBe(true);
    expect(builds).toBe(1);
  });

  it('gives the same results and messages as the schema it stands for, also inside other schemas', () => {
    const build = () =>
      z.object({ id: z.string().min(1, 'id must not be empty'), n: z.number().int().optional() });
    const eager = build();
    const standIn = lazyObject(build);
    for (const input of [{ id: 'a', n: 2 }, { id: '' }, { id: 'a', n: 1.5 }, null, { n: 'x' }]) {
      expect(JSON.stringify(standIn.safeParse(input))).toBe(JSON.stringify(eager.safeParse(input)));
      const inArray = z.array(standIn).safeParse([input]);
      expect(JSON.stringify(inArray)).toBe(JSON.stringify(z.array(eager).safeParse([input])));
    }
    expect(standIn.optional().parse(undefined)).toBeUndefined();
    expect(standIn.extend({ k: z.boolean() }).parse({ id: 'a', k: true })).toEqual({ id: 'a', k: true });
    expect(Object.getPrototypeOf(standIn)).toBe(Object.getPrototypeOf(eager));
    expect(z.toJSONSchema(standIn)).toEqual(z.toJSONSchema(eager));
    expect(standIn.describe('a thing').description).toBe('a thing');
    expect(Object.keys(standIn.pick({ id: true }).shape)).toEqual(['id']);
    expect({ ...standIn }).toHaveProperty('safeParse');
  });

  it('stands in for a schema of a discriminated union (zod reads the options when it builds the union)', () => {
    const A = lazyObject(() => z.object({ type: z.literal('a'), v: z.number() }));
    const B = lazyObject(() => z.object({ type: z.literal('b'), w: z.string() }));
    const U = z.discriminatedUnion('type', [A, B]);
    expect(U.parse({ type: 'b', w: 'x' })).toEqual({ type: 'b', w: 'x' });
    expect(U.safeParse({ type: 'c' }).success).toBe(false);
  });
});
