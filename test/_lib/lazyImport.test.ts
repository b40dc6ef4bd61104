import { describe, expect, it, vi } from 'vitest';

/**
 * Importing the package builds no zod schema (#14, cold start): every schema is built on first use
 * (`lazy`, `lazyObject` in src/_lib/lazy.ts). zod's factories (z.object, z.string, ...) are counted
 * through a wrapped module; the package root is imported in this file's own module registry.
 */
const calls = { n: 0, names: new Set<string>() };

vi.mock('zod', async (importOriginal) => {
  const real = await importOriginal<Record<string, unknown>>();
  const wrapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(real)) {
    // Factories start with a lower-case letter; classes (ZodObject, ...) and constants stay as they are.
    wrapped[key] =
      typeof value === 'function' && /^[a-z]/.test(key)
        ? (...args: unknown[]) => {
            calls.n++;
            calls.names.add(key);
            return (value as (...a: unknown[]) => unknown)(...args);
          }
        : value;
  }
  return wrapped;
});

describe('importing the package root', () => {
  it('builds no zod schema; the first parse builds those it needs', async () => {
    const root = await import('../../src/index');
    expect([...calls.names]).toEqual([]);
    expect(calls.n).toBe(0);
    // Reading an exported schema builds it (and only then): the counter moves, so this test can fail.
    expect(root.OverrideSchema.safeParse({ customerId: 'c1' }).success).toBe(false);
    expect(calls.n).toBeGreaterThan(0);
    const afterOverride = calls.n;
    expect(() => root.parseSegmentRules({ segments: [] })).toThrow(/parseSegmentRules/);
    expect(calls.n).toBeGreaterThan(afterOverride);
  });
});
