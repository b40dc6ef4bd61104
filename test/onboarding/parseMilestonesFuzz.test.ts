import { describe, expect, it } from 'vitest';
import { parseMilestones } from '../../src/onboarding/parseMilestones';

// Fuzz suite findings (#18): parseMilestones' internal second and third parameters (the caller's
// name and the error path) took anything, so an options object gave "Cannot convert object to
// primitive value", a BigInt "i.path.join is not a function", a number "base is not iterable", null
// "reading 'length'" and a symbol "Cannot convert a Symbol value to a string".
describe('parseMilestones with hostile extra arguments', () => {
  const ms = [{ id: 'first_login', when: { field: 'type', op: '==', value: 'login' } }];

  it('rejects them with a located error naming parseMilestones', () => {
    for (const [fn, base] of [
      [{ asOf: 0 }, undefined],
      [10n, 10n],
      [undefined, 838],
      ['someday', null],
      [undefined, ['a', Symbol.iterator]],
      [Symbol.iterator, undefined],
    ] as const)
      expect(() => parseMilestones(ms, fn as never, base as never)).toThrow(
        /^parseMilestones: .*takes the milestones only/,
      );
  });

  it('still parses with the defaults', () => {
    expect(parseMilestones(ms).map((m) => m.id)).toEqual(['first_login']);
  });
});
