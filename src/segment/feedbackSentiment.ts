import Sentiment from 'sentiment';

/** Why a result is neutral without being scored. */
export type SentimentFlag = 'empty' | 'non_english';

/** Result of {@link feedbackSentiment}. */
export interface FeedbackSentimentResult {
  /** Sum of AFINN-165 word scores (−5..+5 each; a word after "not", "don't", ... counts negated). */
  score: number;
  /** `score / tokens / 5`, clamped to [−1, 1]; 0 for flagged text. */
  comparative: number;
  /** `positive` when score > 0, `negative` when score < 0, else `neutral`. */
  label: 'positive' | 'negative' | 'neutral';
  /** Scored words, in text order (negated words appear in the list of their final sign). */
  positive: string[];
  negative: string[];
  /** Number of tokens. */
  tokens: number;
  /** Set when the text was not scored: empty, or judged not English. */
  flag: SentimentFlag | null;
}

// Function words that mark English, and common function words of other Latin-script languages
// (German, French, Spanish, Portuguese, Italian, Dutch) that are not English words.
const ENGLISH = new Set(
  (
    'the and is are was were it its this that these those to of for with you your we our they their ' +
    'i me my he she him her be been have has had do does did not but very so on at from an or if ' +
    "can can't cant don't dont didn't isn't doesn't won't will would should could just too all any"
  ).split(' '),
);
const FOREIGN = new Set(
  (
    'der das und ist nicht sehr aber ein eine mit für auch wir ich sie es zu den dem ' +
    'le les et est très mais pas une avec nous vous je ce cette sont du des au ' +
    'el los las es y muy pero una para por que del está lo al nos ' +
    'não muito mas é com uma os em ' +
    'il che sono molto della ho gli ' +
    'het een niet zeer maar ook wij ik zijn van'
  ).split(' '),
);
const LETTER = /\p{L}/gu;
const LATIN = /[A-Za-z\u00C0-\u024F]/g;

/**
 * AFINN words that are mostly nouns or fillers in customer feedback ("the support team", "help
 * centre", "please add ...", "free trial") and carry no opinion there; {@link feedbackSentiment}
 * ignores them by default.
 */
export const NEUTRAL_FEEDBACK_WORDS: readonly string[] = [
  'support',
  'supports',
  'supported',
  'supporting',
  'help',
  'please',
  'free',
  'share',
  'pretty',
  'matter',
  'true',
];
const DEFAULT_NEUTRAL = new Set(NEUTRAL_FEEDBACK_WORDS);

/** Options of {@link feedbackSentiment}. */
export interface FeedbackSentimentOptions {
  /** Words that never score (the lexicon is not changed). @default NEUTRAL_FEEDBACK_WORDS */
  neutralWords?: readonly string[];
}

let analyzer: Sentiment | null = null;

/**
 * Sentiment of one piece of customer feedback with the AFINN-165 lexicon (the `sentiment` package,
 * which also scores emoji and negates a word preceded by a negator such as "not" or "don't").
 *
 * **Normalisation.** `sentiment`'s comparative score is `score / tokens`; every token contributes at most
 * ±5, so `comparative = score / tokens / 5` lies in [−1, 1] (+1 would be a text made only of +5
 * words). It is clamped for safety.
 *
 * **Language.** AFINN is English-only. Text is flagged `non_english` (and scored neutral) when most of
 * its letters are not Latin script, or when it contains more common function words of German,
 * French, Spanish, Portuguese, Italian or Dutch than of English. This is a cheap heuristic: short
 * Latin-script text with no function word counts as English.
 *
 * **Domain words.** Some AFINN words are opinion-free nouns in customer feedback ("support" is +2,
 * so "Support was terrible" would lose half its negativity); {@link NEUTRAL_FEEDBACK_WORDS} are
 * dropped from the score by default (`neutralWords: []` keeps plain AFINN). Their tokens still count
 * in the denominator.
 *
 * Missing data: `null`, `undefined`, non-strings and blank text give a neutral result flagged `empty`;
 * never throws.
 *
 * @param text the feedback text.
 * @param options words to ignore.
 * @returns score, normalised comparative, label, positive and negative words, and a flag.
 * @example
 * ```ts
 * feedbackSentiment('Support was not helpful and the app is slow to load, very frustrating');
 * // => { score: -4, comparative: -0.0615, label: 'negative', positive: [], negative: ['helpful', 'frustrating'], tokens: 13, flag: null }
 * // ("not helpful" is −2 by negation, "frustrating" −2; "support" is neutral here: −4 / 13 tokens / 5)
 * feedbackSentiment('Das Produkt ist sehr gut'); // => { score: 0, comparative: 0, label: 'neutral', ..., flag: 'non_english' }
 * ```
 */
export function feedbackSentiment(
  text: unknown,
  options: FeedbackSentimentOptions = {},
): FeedbackSentimentResult {
  if (typeof text !== 'string' || text.trim().length === 0) return neutral('empty', 0);
  const s = text.length > 20_000 ? text.slice(0, 20_000) : text;
  if (analyzer === null) analyzer = new Sentiment();
  const res = analyzer.analyze(s);
  const tokens = res.tokens.filter((t) => t.length > 0);
  if (tokens.length === 0) return neutral('empty', 0);
  if (!looksEnglish(s, tokens)) return neutral('non_english', tokens.length);
  const neutralWords = options.neutralWords === undefined ? DEFAULT_NEUTRAL : new Set(options.neutralWords);
  // sentiment walks tokens from the end; `calculation` holds each scored word with its final
  // (negation-applied) score. Rebuild in text order without the neutral words.
  let score = 0;
  const positive: string[] = [];
  const negative: string[] = [];
  for (let i = res.calculation.length - 1; i >= 0; i--) {
    const entry = res.calculation[i] as Record<string, number>;
    for (const word of Object.keys(entry)) {
      if (neutralWords.has(word)) continue;
      const v = entry[word] as number;
      score += v;
      if (v > 0) positive.push(word);
      else if (v < 0) negative.push(word);
    }
  }
  const comparative = Math.max(-1, Math.min(1, score / tokens.length / 5));
  return {
    score,
    comparative,
    label: score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral',
    positive,
    negative,
    tokens: tokens.length,
    flag: null,
  };
}

function neutral(flag: SentimentFlag, tokens: number): FeedbackSentimentResult {
  return { score: 0, comparative: 0, label: 'neutral', positive: [], negative: [], tokens, flag };
}

function looksEnglish(text: string, tokens: readonly string[]): boolean {
  const letters = text.match(LETTER)?.length ?? 0;
  if (letters === 0) return true; // emoji / punctuation only: let AFINN's emoji scores speak
  const latin = text.match(LATIN)?.length ?? 0;
  if (latin / letters < 0.5) return false;
  let en = 0;
  let other = 0;
  for (const t of tokens) {
    if (ENGLISH.has(t)) en++;
    else if (FOREIGN.has(t)) other++;
  }
  return !(other > en);
}
