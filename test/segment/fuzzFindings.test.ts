/** rfmScores option messages on hostile values (#18 fuzz hardening). */
import { describe, expect, it } from 'vitest';
import { rfmScores } from '../../src/segment/rfmScores';

describe('rfmScores bins', () => {
  it('names an object without a primitive form by kind instead of throwing a TypeError', () => {
    expect(() => rfmScores([], { asOf: 0, bins: Object.create(null) })).toThrow(
      'rfmScores: option "bins" must be an integer from 2 to 9, got an object',
    );
  });
});
