import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import {
  adjustedRandIndex,
  customerFeedbackSentiment,
  feedbackSentiment,
  lifecycleStage,
  parseRfmSegmentMap,
  parseSegmentRules,
  rfmScores,
  rfmSegments,
  valueTiers,
} from '../../src/segment/index';

/** #18: hostile input found by the fuzzing suite gives located ValidationErrors, never raw TypeErrors. */
describe('segment functions at the door', () => {
  const asOf = '2025-01-01';
  const cases: [string, () => unknown, RegExp][] = [
    [
      'rfmScores on an object',
      () => rfmScores({} as never, { asOf }),
      /rfmScores: invalid events: .*got object/,
    ],
    ['rfmSegments on a number', () => rfmSegments(5 as never, { asOf }), /rfmScores: invalid events/],
    ['rfmScores on [null]', () => rfmScores([null] as never, { asOf }), /event must be an object, got null/],
    [
      'rfmScores on an event without a string type',
      () => rfmScores([{ customerId: 'a', type: 7, timestamp: 0 }] as never, { asOf }),
      /type must be a string/,
    ],
    [
      'lifecycleStage on a string',
      () => lifecycleStage('d.b@agv' as never, { asOf }),
      /lifecycleStage: invalid events/,
    ],
    [
      'customerFeedbackSentiment on a Map of junk',
      () => customerFeedbackSentiment(new Map([['a', 1]]) as never, { asOf }),
      /timeline must have an events array/,
    ],
    [
      'adjustedRandIndex with undefined',
      () => adjustedRandIndex([], undefined as never),
      /must be an array of labels/,
    ],
    ['valueTiers on a number', () => valueTiers(-4 as never), /valueTiers: .*must be a Map/],
    [
      'valueTiers with a numeric id',
      () => valueTiers([{ customerId: 5, value: 1 }] as never),
      /customer ids must be strings/,
    ],
  ];
  for (const [name, call, message] of cases) {
    it(`${name} throws a located ValidationError`, () => {
      expect(call).toThrow(ValidationError);
      expect(call).toThrow(message);
    });
  }

  it('the parsers report under their own name when the caller name is not a string', () => {
    expect(() => parseSegmentRules([], Symbol('x') as never)).toThrow(/^parseSegmentRules: /);
    expect(() => parseRfmSegmentMap([1], { valueOf: 1 } as never)).toThrow(/^parseRfmSegmentMap: /);
  });

  it('feedbackSentiment never throws on text, whatever it is', () => {
    for (const t of [
      '\u202eevil',
      '\u001b[2J',
      'y'.repeat(100_000),
      '😀'.repeat(5000),
      10n,
      Symbol('s'),
      {},
      [],
    ]) {
      expect(() => feedbackSentiment(t)).not.toThrow();
    }
  });
});
