import { checkOptions, optionError } from '../_lib/errors';
import { NEUTRAL_WORDS } from './_sentimentLexicon';
import type { Tok } from './_sentimentRules';
import { lexicon, score } from './_sentimentScore';

/** Why a result is neutral without being scored. */
export type SentimentFlag = 'empty' | 'non_english';

/**
 * A rule that changed a word's points:
 * - `negated`: a negator ("not", "never", "didn't", "no", "without", ...) up to three words before it
 *   in the same clause; positive words × −0.74, negative words × −0.5 ("not bad" is mildly positive).
 * - `negated_function`: a neutral function word negated ("didn't last", "doesn't work", "not loud
 *   enough", "do not buy") scores −1.6.
 * - `intensified` / `downtoned`: "very", "extremely", "so" ... add, "slightly", "somewhat", "kinda" ...
 *   remove 0.293 points of magnitude per modifier (×0.95 two words away, ×0.9 three).
 * - `caps`: the word is written in capitals while the text is not: +0.733 magnitude.
 * - `before_contrast` / `after_contrast`: in a sentence with "but" or "however" the words before weigh
 *   ×0.5 and the words after ×1.5; "although"/"though" opening a sentence weighs its own clause ×0.5
 *   and the rest ×1.5.
 * - `unmet_expectation`: a positive word after "should have", "would have", "could have", "wish",
 *   "hoped", "supposed to" or "expected" in the same clause describes what did not happen: × −0.5.
 * - `spelling`: the word was found after fixing a common misspelling, a doubled/undoubled letter
 *   ("dissapointed"), two swapped letters ("satisifed"), a stretched word ("sooo goood"), or as
 *   another form of a listed word ("sweetest" → "sweet").
 * - `warning`: a negative word after an imperative "don't", "do not" or "never" keeps its sign
 *   ("don't waste your money", "do not be fooled"): the advice is the opinion.
 * - `comparison`: a positive comparative followed by "than this/these/that/it" praises something
 *   else ("my old phone sounds better than this"): × −0.5.
 * - `exclamation`: each "!" (at most four) adds 0.292 points in the direction of the score.
 */
export type SentimentRule =
  | 'negated'
  | 'negated_function'
  | 'intensified'
  | 'downtoned'
  | 'caps'
  | 'before_contrast'
  | 'after_contrast'
  | 'unmet_expectation'
  | 'spelling'
  | 'warning'
  | 'comparison'
  | 'exclamation';

/** Where a scored item's base valence comes from. */
export type SentimentSource = 'vader' | 'feedback' | 'phrase' | 'emoji' | 'emoticon' | 'custom' | 'rule';

/** One item that moved the score. */
export interface SentimentContribution {
  /** The word, phrase, emoji or emoticon as written (phrases joined by spaces), or `!`. */
  text: string;
  /** Points it added to `score`, after the rules. */
  points: number;
  /** Its lexicon valence before the rules (VADER scale, −4 … +4). */
  base: number;
  /** Lexicon the base valence came from. */
  source: SentimentSource;
  /** Rules applied, in the order they were applied. */
  rules: SentimentRule[];
}

/** Result of {@link feedbackSentiment}. */
export interface FeedbackSentimentResult {
  /** Sum of the contributions' points (VADER scale: one clear opinion word is about ±2 to ±3). */
  score: number;
  /** `score / √(score² + 15)` (VADER's "compound" normalisation): in (−1, 1), 0 when neutral. */
  comparative: number;
  /** `positive` when score ≥ 0.05, `negative` when ≤ −0.05, else `neutral`. */
  label: 'positive' | 'negative' | 'neutral';
  /** `label === 'neutral'`: no opinion word was found (or the text was flagged), so the 0 is "unknown". */
  neutral: boolean;
  /**
   * Strength of the evidence, `1 − exp(−|score| / 2)`, in [0, 1): 0 for neutral, 0.61 for one "good",
   * 0.79 for one "great". A heuristic, not a probability; the benchmark prints accuracy per band.
   */
  confidence: number;
  /** Words (and emoji, phrases) that scored positive after the rules, in text order. */
  positive: string[];
  /** Words (and emoji, phrases) that scored negative after the rules, in text order. */
  negative: string[];
  /** Every item that moved the score, in text order. */
  contributions: SentimentContribution[];
  /** One sentence: the label and the items that moved it most. */
  explanation: string;
  /** Number of tokens (words, numbers, emoji, emoticons). */
  tokens: number;
  /** Set when the text was not scored: empty, or judged not English. */
  flag: SentimentFlag | null;
}

/** Options of {@link feedbackSentiment}. */
export interface FeedbackSentimentOptions {
  /** Words that never score (the lexicon is not changed). @default NEUTRAL_FEEDBACK_WORDS */
  neutralWords?: readonly string[];
  /**
   * Extra or replacement valences (−4 … +4, VADER's scale) for words or phrases of up to three words,
   * e.g. `{ 'sla breach': -2.5, onboarding: 0 }`. They win over every built-in list. @default {}
   */
  lexicon?: Readonly<Record<string, number>> | ReadonlyMap<string, number>;
}

/**
 * AFINN-era name kept for compatibility: words that carry no opinion in customer feedback although a
 * general lexicon rates them ("support", "help", "please", "free", "pretty", ...); ignored by default.
 */
export const NEUTRAL_FEEDBACK_WORDS: readonly string[] = NEUTRAL_WORDS;

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
const CHUNK = /\S+/gu;
const PIECE = /(\p{Extended_Pictographic})|(\p{L}+(?:['’]\p{L}+)*|\p{N}+)|([.,;:!?()]+)/gu;

const FN = 'feedbackSentiment';
const KNOWN_OPTIONS = ['neutralWords', 'lexicon'] as const;

/**
 * Sentiment of one piece of customer feedback: a lexicon-and-rules scorer built for short reviews,
 * survey comments and support feedback (method after VADER, Hutto & Gilbert 2014, with rules and a
 * lexicon for customer feedback; docs/segment.md has the lists, their sources and licences, and the
 * measured accuracy against `vader-sentiment` and `wink-sentiment`).
 *
 * **Method.** The text is split into words, emoji and emoticons. Each word is looked up in, in order,
 * the caller's `lexicon`, the customer-feedback phrases ("stopped working", "waste of money",
 * "returned it"), the customer-feedback lexicon ("crash", "refund", "slow", "rude", "broke") and the
 * VADER lexicon (MIT, 7,500 entries); unknown words are retried after fixing common misspellings,
 * doubled letters and stretched words. Then the rules of {@link SentimentRule} adjust each item:
 * negation scope (three words, same clause), negated function words ("didn't last"), contrast
 * ("great screen but the battery died" leans negative), intensifiers and downtoners, capitals,
 * unmet expectations and exclamation marks. `score` is the sum; `comparative` maps it into (−1, 1).
 *
 * **Explained.** `contributions` lists every item with its base valence, points and rules;
 * `explanation` says it in one sentence. A text with no opinion word is `neutral: true` with
 * `confidence: 0`, never a silent 0.
 *
 * **Language.** The lexicons are English. Text is flagged `non_english` (and scored neutral) when most
 * of its letters are not Latin script, or when it contains more common function words of German,
 * French, Spanish, Portuguese, Italian or Dutch than of English (short text without any function
 * word counts as English).
 *
 * Pure, deterministic, no I/O: runs in browsers. Text beyond 20,000 characters is ignored.
 *
 * Missing data: `null`, `undefined`, non-strings and blank text give a neutral result flagged `empty`;
 * never throws on the text.
 *
 * @param text the feedback text.
 * @param options words to ignore, extra lexicon entries.
 * @returns score, comparative in (−1, 1), label, neutral flag, confidence, contributions and a sentence.
 * @throws ValidationError for unknown options or a `lexicon` value outside −4 … +4.
 * @example
 * ```ts
 * import { feedbackSentiment } from 'customer-vitals/segment';
 * const r = feedbackSentiment('Great screen but the battery died after a week');
 * // r.label === 'negative', r.score === -2.35: "great" 3.1 × 0.5 = +1.55 before "but", "died" −2.6 × 1.5 = −3.9 after
 * // r.explanation === 'negative (−2.35): "died" −3.90 (after the contrast), "Great" +1.55 (before the contrast)'
 * feedbackSentiment('Das Produkt ist sehr gut').flag; // 'non_english'
 * ```
 */
export function feedbackSentiment(
  text: unknown,
  options?: FeedbackSentimentOptions,
): FeedbackSentimentResult {
  checkOptions(FN, options, KNOWN_OPTIONS);
  const custom = readCustomLexicon(options?.lexicon);
  const neutralWords =
    options?.neutralWords === undefined ? DEFAULT_NEUTRAL : readNeutral(options.neutralWords);
  if (typeof text !== 'string' || text.trim().length === 0) return neutral('empty', 0);
  const s = text.length > 20_000 ? text.slice(0, 20_000) : text;
  const toks = tokenize(s);
  let count = 0;
  for (const t of toks) if (t.kind !== 'punct') count++;
  if (count === 0) return neutral('empty', 0);
  if (!looksEnglish(s, toks)) return neutral('non_english', count);
  return score(s, toks, count, custom, neutralWords);
}

const DEFAULT_NEUTRAL: ReadonlySet<string> = new Set(NEUTRAL_WORDS);

function readNeutral(words: unknown): ReadonlySet<string> {
  if (!Array.isArray(words) || words.some((w) => typeof w !== 'string')) {
    throw optionError(FN, 'neutralWords', 'must be an array of words', 'invalid_type');
  }
  return new Set((words as string[]).map((w) => normWord(w)));
}

function readCustomLexicon(
  lexicon: FeedbackSentimentOptions['lexicon'] | undefined,
): Map<string, number> | null {
  if (lexicon === undefined) return null;
  const entries: [string, unknown][] =
    lexicon instanceof Map
      ? [...lexicon.entries()]
      : typeof lexicon === 'object' && lexicon !== null && !Array.isArray(lexicon)
        ? Object.entries(lexicon)
        : (() => {
            throw optionError(FN, 'lexicon', 'must be an object or a Map of word → valence', 'invalid_type');
          })();
  const out = new Map<string, number>();
  for (const [k, v] of entries) {
    if (typeof k !== 'string') {
      throw optionError(FN, 'lexicon', 'keys must be words or phrases (strings)', 'invalid_type');
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < -4 || v > 4) {
      throw optionError(
        FN,
        'lexicon',
        `entry "${k.slice(0, 60)}" must be a number in −4 … +4`,
        'out_of_range',
      );
    }
    const key = k.toLowerCase().replace(/’/g, "'").trim().split(/\s+/).join(' ');
    if (key.length === 0 || key.split(' ').length > 3) {
      throw optionError(
        FN,
        'lexicon',
        `entry "${k.slice(0, 60)}" must be one to three words`,
        'invalid_value',
      );
    }
    out.set(key, v);
  }
  return out;
}

function normWord(w: string): string {
  return w.toLowerCase().replace(/’/g, "'");
}

function tokenize(s: string): Tok[] {
  const { emoticons } = lexicon();
  const out: Tok[] = [];
  for (const m of s.matchAll(CHUNK)) {
    const chunk = m[0];
    if (chunk.length >= 2 && !/^[\p{L}\p{N}]/u.test(chunk)) {
      const bare = chunk.replace(/[.,!?]+$/, '');
      const e = emoticons.has(chunk) ? chunk : emoticons.has(bare) && bare.length >= 2 ? bare : null;
      if (e !== null) {
        out.push({ kind: 'emoticon', raw: e, norm: e, caps: false });
        if (e !== chunk) out.push({ kind: 'punct', raw: chunk.slice(e.length), norm: '', caps: false });
        continue;
      }
    }
    if (/^[-–—]+$/.test(chunk)) {
      out.push({ kind: 'punct', raw: chunk, norm: '', caps: false });
      continue;
    }
    for (const p of chunk.matchAll(PIECE)) {
      if (p[1] !== undefined) out.push({ kind: 'emoji', raw: p[1], norm: p[1], caps: false });
      else if (p[2] !== undefined) {
        const raw = p[2];
        out.push({
          kind: 'word',
          raw,
          norm: normWord(raw),
          caps: raw.length >= 2 && /\p{Lu}/u.test(raw) && !/\p{Ll}/u.test(raw),
        });
      } else out.push({ kind: 'punct', raw: p[3] as string, norm: '', caps: false });
    }
  }
  return out;
}

function neutral(flag: SentimentFlag, tokens: number): FeedbackSentimentResult {
  return {
    score: 0,
    comparative: 0,
    label: 'neutral',
    neutral: true,
    confidence: 0,
    positive: [],
    negative: [],
    contributions: [],
    explanation:
      flag === 'empty' ? 'neutral: no text' : 'neutral: not scored, the text does not look English',
    tokens,
    flag,
  };
}

function looksEnglish(text: string, toks: readonly Tok[]): boolean {
  const letters = text.match(LETTER)?.length ?? 0;
  if (letters === 0) return true; // emoji / punctuation only: let the emoji scores speak
  const latin = text.match(LATIN)?.length ?? 0;
  if (latin / letters < 0.5) return false;
  let en = 0;
  let other = 0;
  for (const t of toks) {
    if (t.kind !== 'word') continue;
    if (ENGLISH.has(t.norm)) en++;
    else if (FOREIGN.has(t.norm)) other++;
  }
  return !(other > en);
}
