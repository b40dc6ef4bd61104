import { describe, expect, it } from 'vitest';
import { parseEvents } from '../../src/events/index';
import { generateOnboardingEvents } from '../../src/sample/index';

describe('generateOnboardingEvents', () => {
  it('is deterministic, emits valid known event types, and follows the step probabilities', () => {
    const a = generateOnboardingEvents({ customers: 300, seed: 1 });
    expect(generateOnboardingEvents({ customers: 300, seed: 1 })).toEqual(a);
    const parsed = parseEvents(a.events);
    expect(parsed.stats.rejected).toBe(0);
    expect(parsed.stats.unknownTypes).toBe(0);
    const first = a.truth.filter((t) => t.steps[0] !== null).length;
    expect(first / 300).toBeGreaterThan(0.85);
    // a later step never happens without the earlier one, and never before it
    for (const t of a.truth)
      for (let k = 1; k < 3; k++)
        if (t.steps[k] !== null) expect(t.steps[k] as number).toBeGreaterThan(t.steps[k - 1] as number);
  });
  it('rejects bad options', () => {
    expect(() => generateOnboardingEvents({ stepProbabilities: [1, 2, 0] as never })).toThrow(
      /stepProbabilities/,
    );
    expect(() => generateOnboardingEvents({ custmers: 3 } as never)).toThrow(/did you mean "customers"/);
  });
});
