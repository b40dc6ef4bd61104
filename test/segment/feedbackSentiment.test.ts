import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
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

/** Points of each contribution, in text order: [text, points, rules]. */
function parts(text: string) {
  return feedbackSentiment(text).contributions.map((c) => [c.text, c.points, c.rules] as const);
}

// Hand-scored sentences. Base valences are VADER's (good 1.9, great 3.1, happy 2.7, love 3.2, bad −2.5,
// terrible −2.1, died −2.6, disappointed −2.1, disappointing −2.2, happier 2.4, satisfied 1.8,
// unacceptable −2.0, ":(" −1.9) or the feedback lexicon's (crashing −2, rude −2.5, broken −2.3).
describe('feedbackSentiment rules', () => {
  it('lexicon: one opinion word scores its valence; comparative = score / √(score² + 15)', () => {
    const r = feedbackSentiment('The screen is good');
    expect(r).toMatchObject({ score: 1.9, label: 'positive', neutral: false, positive: ['good'], tokens: 4 });
    expect(r.comparative).toBeCloseTo(1.9 / Math.sqrt(1.9 * 1.9 + 15)); // 0.4404
    expect(r.confidence).toBeCloseTo(1 - Math.exp(-1.9 / 2)); // 0.6133
    expect(r.contributions).toEqual([{ text: 'good', points: 1.9, base: 1.9, source: 'vader', rules: [] }]);
  });

  it('customer-feedback lexicon and phrases: crash, rude, stopped working; "support" is not praise', () => {
    expect(feedbackSentiment('The app keeps crashing').score).toBeCloseTo(-2);
    // support (VADER +1.7) is a neutral feedback word; rude −2.5
    expect(parts('Support was rude')).toEqual([['rude', -2.5, []]]);
    expect(parts('It stopped working after a week')).toEqual([['stopped working', -2.5, []]]);
    expect(feedbackSentiment('Support was rude', { neutralWords: [] }).score).toBeCloseTo(1.7 - 2.5);
  });

  it('negation: positive × −0.74, negative × −0.5, three words, same clause', () => {
    expect(parts('The screen is not good')).toEqual([['good', -1.406, ['negated']]]); // 1.9 × −0.74
    expect(parts('Not bad at all')).toEqual([['bad', 1.25, ['negated']]]); // −2.5 × −0.5
    expect(parts('I never had a problem')).toEqual([['problem', 0.85, ['negated']]]); // −1.7 × −0.5
    expect(parts('Not the point, good screen')).toEqual([['good', 1.9, []]]); // the comma ends the scope
    expect(parts('not only good')).toEqual([['good', 1.9, []]]); // "not only" is no negation
    expect(parts("It isn't good")).toEqual([['good', -1.406, ['negated']]]);
    expect(parts("I didn't think it was good")).toEqual([['good', 1.9, []]]); // four words away: out of scope
  });

  it('negated function words: "didn\'t last", "doesn\'t work", "not loud enough" score −1.6 once', () => {
    expect(parts("It didn't last a month")).toEqual([['last', -1.6, ['negated_function']]]);
    expect(parts('Mic does not work')).toEqual([['work', -1.6, ['negated_function']]]);
    expect(parts('Not loud enough')).toEqual([['loud', -1.6, ['negated_function']]]); // one negator, one item
    expect(feedbackSentiment('It lasted a month')).toMatchObject({ score: 0, neutral: true, confidence: 0 });
    // a negator already explained by an opinion word does not also score a function word
    expect(parts('It does not work badly')).toEqual([['badly', 1.05, ['negated']]]); // badly −2.1 × −0.5
  });

  it('imperative warnings keep their sign: "don\'t waste your money", "do not buy"', () => {
    expect(parts('Dont waste your money')).toEqual([['waste your money', -3, ['warning']]]);
    expect(parts('So just do not buy it')).toEqual([['buy', -1.6, ['negated_function']]]);
    // declarative: "I don't regret it" is praise (regret −1.8 × −0.5)
    expect(parts("I don't regret it")).toEqual([['regret', 0.9, ['negated']]]);
  });

  it('contrast: "but" weighs the clause before ×0.5 and after ×1.5; "although" its own clause ×0.5', () => {
    // great 3.1 × 0.5 = 1.55; died −2.6 × 1.5 = −3.9; total −2.35
    const r = feedbackSentiment('Great screen but the battery died after a week');
    expect(r.score).toBeCloseTo(-2.35);
    expect(r.label).toBe('negative');
    expect(r.explanation).toBe(
      'negative (−2.35): "died" −3.90 (after the contrast), "Great" +1.55 (before the contrast)',
    );
    expect(feedbackSentiment('Although the screen is great, the battery died').score).toBeCloseTo(-2.35);
    // per sentence: the second sentence has no contrast
    expect(feedbackSentiment('Good price but slow. Love it').score).toBeCloseTo(1.9 * 0.5 - 1.5 * 1.5 + 3.2);
  });

  it('intensifiers add and downtoners remove 0.293 magnitude', () => {
    expect(parts('The screen is very good')).toEqual([['good', 2.193, ['intensified']]]); // 1.9 + 0.293
    expect(parts('slightly disappointing')).toEqual([['disappointing', -1.907, ['downtoned']]]); // −2.2 + 0.293
    expect(parts('very very good')).toEqual([['good', 1.9 + 0.293 + 0.293 * 0.95, ['intensified']]]);
  });

  it('capitals: +0.733 magnitude for a word in capitals inside mixed-case text, not for all-caps text', () => {
    expect(parts('The screen is GOOD')).toEqual([['GOOD', 2.633, ['caps']]]);
    expect(parts('THE SCREEN IS GOOD')).toEqual([['GOOD', 1.9, []]]);
  });

  it('exclamation marks: +0.292 each (at most four) in the direction of the score', () => {
    expect(feedbackSentiment('good!!').score).toBeCloseTo(1.9 + 2 * 0.292);
    expect(feedbackSentiment('terrible!!!!!!').score).toBeCloseTo(-2.1 - 4 * 0.292);
    expect(feedbackSentiment('Shipped today!').neutral).toBe(true); // no opinion to emphasise
  });

  it('emoji (skin tones removed) and emoticons', () => {
    expect(parts('I love it 😍')).toEqual([
      ['love', 3.2, []],
      ['😍', 2.8, []],
    ]);
    expect(feedbackSentiment('Great 👍🏽').score).toBeCloseTo(3.1 + 1.8);
    expect(feedbackSentiment('Terrible :(').score).toBeCloseTo(-2.1 - 1.9);
    expect(feedbackSentiment('👎').score).toBeCloseTo(-2);
  });

  it('misspellings, doubled letters, swapped letters, stretched words, superlatives', () => {
    expect(parts('Very dissapointed')).toEqual([['dissapointed', -2.393, ['spelling', 'intensified']]]);
    expect(parts('unacceptible')).toEqual([['unacceptible', -2, ['spelling']]]);
    expect(parts('satisifed')).toEqual([['satisifed', 1.8, ['spelling']]]);
    expect(parts('sooo gooood')).toEqual([['gooood', 1.9, ['spelling']]]);
    expect(feedbackSentiment('smoother').neutral).toBe(true); // vowels are never undoubled ("smother")
    // real words one letter away from an opinion word stay unscored
    expect(feedbackSentiment('hopping').neutral).toBe(true); // not "hoping"
    expect(feedbackSentiment('a sacred place').neutral).toBe(true); // not "scared" (swaps need 7 letters)
  });

  it('unmet expectations, unfavourable comparisons and litotes', () => {
    expect(parts('It should have been great')).toEqual([['great', -1.55, ['unmet_expectation']]]);
    expect(parts('My old phone sounds better than this')).toEqual([['better', -0.95, ['comparison']]]);
    expect(parts('I could not be happier')).toEqual([['happier', 2.4, []]]);
  });

  it('a caller lexicon wins over the built-in lists; bad options throw located errors', () => {
    const r = feedbackSentiment('Another SLA breach this month', { lexicon: { 'sla breach': -2.5 } });
    expect(r.contributions).toEqual([
      { text: 'SLA breach', points: -2.5, base: -2.5, source: 'custom', rules: [] },
    ]);
    expect(feedbackSentiment('onboarding was good', { lexicon: new Map([['good', 0]]) }).neutral).toBe(true);
    expect(() => feedbackSentiment('x', { lexicn: {} } as never)).toThrow(
      /feedbackSentiment: .*unknown option "lexicn"; did you mean "lexicon"\?/,
    );
    expect(() => feedbackSentiment('x', { lexicon: { good: 9 } })).toThrow(ValidationError);
    expect(() => feedbackSentiment('x', { lexicon: { 'a b c d': 1 } })).toThrow(/one to three words/);
    expect(() => feedbackSentiment('x', { neutralWords: 'support' as never })).toThrow(ValidationError);
  });

  it('labels a small labelled set of feedback sentences correctly', () => {
    for (const [text, label] of LABELLED) expect(feedbackSentiment(text).label, text).toBe(label);
  });

  it('no opinion word: neutral with confidence 0 and a sentence saying so, never a silent 0', () => {
    expect(feedbackSentiment('We moved our account to the EU region')).toMatchObject({
      score: 0,
      comparative: 0,
      label: 'neutral',
      neutral: true,
      confidence: 0,
      contributions: [],
      explanation: 'neutral: no opinion word found',
      flag: null,
    });
  });

  it('returns a neutral flagged result for empty or non-English text, never throwing', () => {
    for (const t of ['', '   ', null, undefined, 42])
      expect(feedbackSentiment(t)).toMatchObject({
        score: 0,
        comparative: 0,
        label: 'neutral',
        neutral: true,
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

  it('property: score is the sum of the contributions; comparative in (−1, 1) with its sign; never throws', () => {
    const words = [
      'good',
      'bad',
      'love',
      'hate',
      'not',
      'but',
      'the',
      'app',
      'very',
      'slightly',
      'GREAT',
      '😀',
      ':)',
      '!',
      ',',
      'didnt',
      'work',
      'crash',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 30 }), fc.string(), (ws, noise) => {
        for (const text of [ws.join(' '), noise]) {
          const r = feedbackSentiment(text);
          expect(Math.abs(r.comparative)).toBeLessThan(1);
          expect(Math.sign(r.comparative)).toBe(Math.sign(r.score));
          expect(r.neutral).toBe(r.score === 0);
          expect(r.confidence).toBeGreaterThanOrEqual(0);
          expect(r.confidence).toBeLessThan(1);
          if (!r.neutral) {
            const sum = r.contributions.reduce((a, c) => a + c.points, 0);
            expect(sum).toBeCloseTo(r.score, 4);
          }
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
    expect(a?.mostNegative?.explanation).toBe('negative (−4.40): "broken" −2.30, "terrible" −2.10');
    expect(a?.neutral).toBe(0);
    expect(a?.reason).toMatch(
      /^2 of 3 feedback texts negative in the last 90 days \(67%\); most negative: "Support was terrible/,
    );
    expect(res.get('b')).toMatchObject({ scored: 0, flagged: 1, meanComparative: null, negativeShare: null });
    expect(res.has('c')).toBe(false);
  });

  it('counts texts without any opinion word as neutral (0 in the mean), not as silent zeros', () => {
    const evs = [
      ev('n', 'feedback', asOf - DAY, undefined, { text: 'We moved our account to the EU region' }),
      ev('n', 'feedback', asOf - 2 * DAY, undefined, { text: 'Great support' }),
    ];
    const n = customerFeedbackSentiment(evs, { asOf }).get('n');
    // "Great support": great 3.1 (support is neutral) → comparative 3.1 / √(3.1² + 15) = 0.6248; mean (0 + 0.6248) / 2
    expect(n).toMatchObject({ scored: 2, positive: 1, negative: 0, neutral: 1 });
    expect(n?.meanComparative).toBeCloseTo(3.1 / Math.sqrt(3.1 * 3.1 + 15) / 2);
  });

  it('rejects unknown options with the closest name and a missing asOf with a located error', () => {
    expect(() => customerFeedbackSentiment(events, { asOf, windowDay: 30 } as never)).toThrow(
      /customerFeedbackSentiment: .*unknown option "windowDay"; did you mean "windowDays"\?/,
    );
    expect(() => customerFeedbackSentiment(events, undefined as never)).toThrow(/asOf/);
    expect(() => feedbackSentimentSignal({ measur: 'mean' } as never)).toThrow(
      /feedbackSentimentSignal: .*did you mean "measure"\?/,
    );
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

describe('customerFeedbackSentiment on events not from parseEvents', () => {
  it('reads properties: null as no comment (it threw a TypeError)', () => {
    const asOf = Date.UTC(2025, 0, 10);
    const events = [
      { customerId: 'c1', type: 'nps_response', timestamp: Date.UTC(2025, 0, 5), value: 3, properties: null },
      {
        customerId: 'c1',
        type: 'nps_response',
        timestamp: Date.UTC(2025, 0, 6),
        value: 9,
        properties: { comment: 'great support, love it' },
      },
    ] as unknown as Parameters<typeof customerFeedbackSentiment>[0];
    const r = customerFeedbackSentiment(events, { asOf }).get('c1');
    expect(r).toMatchObject({ scored: 1, positive: 1, negative: 0 });
  });
});
