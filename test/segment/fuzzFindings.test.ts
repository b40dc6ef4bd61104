/** rfmScores option messages on hostile values (#18 fuzz hardening). */
import { describe, expect, it } from 'vitest';
import { parseRfmSegmentMap } from '../../src/segment/parseRfmSegmentMap';
import { parseSegmentRules } from '../../src/segment/parseSegmentRules';
import { rfmScores } from '../../src/segment/rfmScores';

describe('rfmScores bins', () => {
  it('names an object without a primitive form by kind instead of throwing a TypeError', () => {
    expect(() => rfmScores([], { asOf: 0, bins: Object.create(null) })).toThrow(
      'rfmScores: option "bins" must be an integer from 2 to 9, got an object',
    );
  });
});

describe('parseSegmentRules and parseRfmSegmentMap take no options', () => {
  it('reject an options object instead of ignoring it (its second parameter is a caller name)', () => {
    expect(() => parseSegmentRules({ segments: [] }, { modle: 1 } as never)).toThrow(
      'parseSegmentRules: unknown option "modle"',
    );
    expect(() => parseRfmSegmentMap({ segments: [] }, { modle: 1 } as never)).toThrow(
      'parseRfmSegmentMap: unknown option "modle"',
    );
  });
});
