import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { customerFeedbackSentiment } from '../../src/segment/customerFeedbackSentiment';
import { feedbackSentiment } from '../../src/segment/feedbackSentiment';
import { feedbackSentimentSignal } from '../../src/segment/feedbackSentimentSignal';
import { at, DAY, ev, MINUTE } from '../helpers/events';

/** A small labelled set of customer-feedback sentences. */
const LABELLED: [string, 'positive' | 'negative' | 'neutral'][] = [
  ['The new dashboard is great, I love it', 'positive'],
  ['Onboarding was smooth and the team was very helpful', 'positive'],
  ['Excellent product, our whole team is happy', 'positive'],
  ['Thanks for the quick fix, awesome support!', 'positive'],
  ['Support was terrible and the export is broken', 'negative'],
  ['I am not happy with the billing changes', 'negative'],
  ['The app keeps crashing, very frustrating', 'negative'],
  ['Too expensive and the reports are useless', 'negative'],
  ['We are cancelling because of poor performance', 'negative'],
  ['Please add a CSV export to the reports page', 'neutral'],
  ['We moved our account to the EU region', 'neutral'],
];

describe('feedbackSentiment', () => {
  it('labels a small labelled set of feedback sentences correctly', () => {
    for (const [text, label] of LABELLED) expect(feedbackSentiment(text).label, text).toBe(label);
  });

  it('handles negation and reports words in text order', () => {
    // "not happy": happy (+3) negated → −3; 8 tokens → comparative −3 / 8 / 5
    const r = feedbackSentiment('I am not happy with the billing changes');
    expect(r).toMatchObject({ score: -3, negative: ['happy'], positive: [], tokens: 8, flag: null });
    expect(r.comparative).toBeCloseTo(-3 / 8 / 5);
    expect(feedbackSentiment('great but terrible').positive).toEqual(['great']);
    expect(feedbackSentiment('Great').comparative).toBeCloseTo(3 / 1 / 5);
  });

  it('ignores opinion-free domain words like "support" unless told otherwise', () => {
    // terrible −3, broken −1 (AFINN); support +2 ignored by default → −4 / 6 tokens / 5 (the comma is not a token)
    const r = feedbackSentiment('Support was terrible, export is broken');
    expect(r).toMatchObject({ score: -4, positive: [], negative: ['terrible', 'broken'] });
    expect(r.comparative).toBeCloseTo(-4 / 6 / 5);
    expect(feedbackSentiment('Support was terrible, export is broken', { neutralWords: [] })).toMatchObject({
      score: -2,
      positive: ['support'],
    });
  });

  it('returns a neutral flagged result for empty or non-English text, never throwing', () => {
    for (const t of ['', '   ', null, undefined, 42])
      expect(feedbackSentiment(t)).toMatchObject({
        score: 0,
        comparative: 0,
        label: 'neutral',
        flag: 'empty',
      });
    for (const t of [
      'Das Produkt ist sehr gut und schnell',
      'Le service est très mauvais',
      'El soporte es muy malo',
      'サポートはとても良かったです',
    ]) {
      expect(feedbackSentiment(t), t).toMatchObject({ label: 'neutral', flag: 'non_english' });
    }
    expect(feedbackSentiment('terrible support experience overall').flag).toBeNull();
  });

  it('property: comparative is always within [−1, 1] and shares the sign of score', () => {
    const words = [
      'good',
      'bad',
      'love',
      'hate',
      'not',
      'the',
      'app',
      'superb',
      'catastrophic',
      '😀',
      'very',
      'is',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 30 }), fc.string(), (ws, noise) => {
        for (const text of [ws.join(' '), noise]) {
          const r = feedbackSentiment(text);
          expect(r.comparative).toBeGreaterThanOrEqual(-1);
          expect(r.comparative).toBeLessThanOrEqual(1);
          expect(Math.sign(r.comparative)).toBe(r.flag === null ? Math.sign(r.score) : 0);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('customerFeedbackSentiment and feedbackSentimentSignal', () => {
  const asOf = at('2025-06-30');
  const events = [
    ev('a', 'feedback', asOf - 10 * DAY, undefined, {
      text: 'Support was terrible and the export is broken',
    }),
    ev('a', 'nps_response', asOf - 20 * DAY, 3, { comment: 'Too expensive and the reports are useless' }),
    ev('a', 'csat_response', asOf - 30 * DAY, 5, { comment: 'Thanks, the fix works' }),
    ev('a', 'feedback', asOf - 200 * DAY, undefined, { text: 'I hate it' }), // outside the 90-day window
    ev('a', 'nps_response', asOf - 5 * DAY, 9), // no comment: not feedback
    ev('a', 'feedback', asOf - 20 * DAY + MINUTE, undefined, {
      text: 'Too expensive and the reports are useless',
    }), // the NPS comment forwarded: counted once
    ev('b', 'feedback', asOf - 3 * DAY, undefined, { text: 'Das ist nicht gut' }),
    ev('c', 'login', asOf - 3 * DAY),
  ];

  it('aggregates per customer over the window, including survey comments', () => {
    const res = customerFeedbackSentiment(events, { asOf });
    const a = res.get('a');
    expect(a).toMatchObject({ scored: 3, flagged: 0, positive: 1, negative: 2 });
    expect(a?.negativeShare).toBeCloseTo(2 / 3);
    expect(a?.mostNegative?.text).toBe('Support was terrible and the export is broken');
    expect(a?.reason).toMatch(
      /^2 of 3 feedback texts negative in the last 90 days \(67%\); most negative: "Support was terrible/,
    );
    expect(res.get('b')).toMatchObject({ scored: 0, flagged: 1, meanComparative: null, negativeShare: null });
    expect(res.has('c')).toBe(false);
  });

  it('works as a health custom signal (timeline, { asOf, profile }) => number | null', () => {
    const tl = groupByCustomer(events);
    const count = feedbackSentimentSignal({ measure: 'negativeCount' });
    const mean = feedbackSentimentSignal();
    expect(count(tl.get('a')!, { asOf, profile: undefined })).toBe(2);
    expect(count(tl.get('a')!, { asOf, profile: undefined, days: 365 })).toBe(3); // 'I hate it' now inside
    expect(mean(tl.get('a')!, { asOf })).toBeLessThan(0);
    expect(mean(tl.get('c')!, { asOf })).toBeNull();
    expect(count(tl.get('c')!, { asOf })).toBe(0);
  });
});
