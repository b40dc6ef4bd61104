import { describe, expect, it } from 'vitest';
import { dataUsed } from '../../src/privacy/dataUsed';

// Fuzz suite finding (#18): a non-string module name was String()-ed for the message, so an object
// without a primitive form ({ toString: null }) threw "TypeError: Cannot convert object to primitive value".
describe('dataUsed on hostile module names', () => {
  it('describes a non-string entry by kind in a located error', () => {
    expect(() => dataUsed([{ toString: null }] as never)).toThrow(
      /^dataUsed: .*a module must be a name .* got an object/,
    );
    expect(() => dataUsed([Symbol.iterator] as never)).toThrow(/got a symbol/);
    expect(() => dataUsed([10n] as never)).toThrow(/got 10n/);
  });
  it('still suggests the closest module for a typo', () => {
    expect(() => dataUsed(['clvv' as never])).toThrow(/unknown module "clvv"; did you mean "clv"\?/);
  });
});
