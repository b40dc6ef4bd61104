import { checkOptions, optionError } from '../_lib/errors';
import {
  BOOSTERS,
  CONTRAST_WORDS,
  EMOJI,
  FEEDBACK_LEXICON,
  FEEDBACK_PHRASES,
  FUNCTION_WORDS,
  IRREALIS_WORDS,
  MISSPELLINGS,
  NEGATED_FUNCTION_VALENCE,
  NEGATORS,
  NEUTRAL_WORDS,
} from './_sentimentLexicon';
import { VADER_LEXICON } from './_vaderLexicon';

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

const N_POS = -0.74;
const N_NEG = -0.5;
const B_INCR = 0.293;
const C_INCR = 0.733;
const EXCL = 0.292;
const ALPHA = 15;

const FN = 'feedbackSentiment';
const KNOWN_OPTIONS = ['neutralWords', 'lexicon'] as const;

interface Tok {
  kind: 'word' | 'punct' | 'emoji' | 'emoticon';
  raw: string;
  /** Lower-cased, ’ → ', for words; the emoji without modifiers; the emoticon as found. */
  norm: string;
  /** Word written in capitals (two letters or more). */
  caps: boolean;
}

interface Lex {
  words: Map<string, number>;
  emoticons: Map<string, number>;
  /** Doubled letters collapsed → word, for words whose collapsed form is unique. */
  collapsed: Map<string, string>;
}

let lex: Lex | null = null;

function lexicon(): Lex {
  if (lex !== null) return lex;
  const words = new Map<string, number>();
  const emoticons = new Map<string, number>();
  for (const line of VADER_LEXICON.split('\n')) {
    const parts = line.split(' ');
    const v = Number(parts[0]);
    for (let i = 1; i < parts.length; i++) {
      const t = parts[i] as string;
      if (/^[a-z][a-z']*$/.test(t)) words.set(t, v);
      else if (!/^[\p{L}\p{N}']+$/u.test(t) && t.length >= 2) emoticons.set(t, v);
      // tokens made only of digits or letters+digits ("143", "2g2b4g") are texting codes: they
      // collide with prices and model numbers in feedback, so they never score.
    }
  }
  for (const [w, v] of Object.entries(FEEDBACK_LEXICON)) words.set(w, v);
  const collapsed = new Map<string, string>();
  const dup = new Set<string>();
  for (const w of words.keys()) {
    if (w.length < 5) continue;
    const c = collapseDoubles(w);
    if (collapsed.has(c) && collapsed.get(c) !== w) dup.add(c);
    else collapsed.set(c, w);
  }
  for (const c of dup) collapsed.delete(c);
  lex = { words, emoticons, collapsed };
  return lex;
}

/** Doubled consonants made single ("dissapointed" and "disappointed" → "disapointed"); vowels kept. */
function collapseDoubles(w: string): string {
  return w.replace(/([b-df-hj-np-tv-z])\1+/g, '$1');
}

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

interface Found {
  v: number;
  source: SentimentSource;
  spelling: boolean;
}

/**
 * Valence of a normalised word: the caller's lexicon, then the feedback and VADER lexicons, then the
 * spelling repairs. The guessed repairs (doubled letters, swapped letters) only land on strong words
 * (|valence| ≥ 1.5) that are not neutral here, and need 5 / 7 letters, so that real words one letter
 * away from an opinion word ("hopping" → "hoping", "sacred" → "scared") are not read as opinions.
 */
function lookup(
  w: string,
  custom: Map<string, number> | null,
  neutralWords: ReadonlySet<string>,
): Found | null {
  if (custom !== null) {
    const c = custom.get(w);
    if (c !== undefined) return { v: c, source: 'custom', spelling: false };
  }
  const { words, collapsed } = lexicon();
  const direct = words.get(w);
  if (direct !== undefined) {
    return { v: direct, source: Object.hasOwn(FEEDBACK_LEXICON, w) ? 'feedback' : 'vader', spelling: false };
  }
  if (/^[\p{N}']+$/u.test(w)) return null;
  const candidates: string[] = [];
  const strong = (c: string) => Math.abs(words.get(c) ?? 0) >= 1.5 && !neutralWords.has(c);
  if (Object.hasOwn(MISSPELLINGS, w)) candidates.push(MISSPELLINGS[w] as string);
  if (/(\p{L})\1\1/u.test(w)) {
    candidates.push(w.replace(/(\p{L})\1{2,}/gu, '$1$1'), w.replace(/(\p{L})\1{2,}/gu, '$1'));
  }
  // other forms of a listed word: "sweetest" → "sweet", "nicest" → "nice", "happily" → "happy"
  for (const [suffix, adds] of WORD_FORMS) {
    if (w.length - suffix.length < 3 || !w.endsWith(suffix)) continue;
    const stem = w.slice(0, -suffix.length);
    const forms = adds.map((a) => stem + a);
    if (/(\p{L})\1$/u.test(stem)) forms.push(stem.slice(0, -1)); // "biggest" → "big"
    for (const f of forms) if (Math.abs(words.get(f) ?? 0) >= 1.5) candidates.push(f);
  }
  if (w.length >= 5) {
    const c = collapsed.get(collapseDoubles(w));
    if (c !== undefined && strong(c)) candidates.push(c);
  }
  if (w.length >= 7) {
    // one pair of neighbouring letters swapped: "satisifed" → "satisfied"
    for (let i = 0; i + 1 < w.length; i++) {
      if (w[i] === w[i + 1]) continue;
      const c = w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
      if (strong(c)) candidates.push(c);
    }
  }
  for (const c of candidates) {
    const v = (custom !== null ? custom.get(c) : undefined) ?? words.get(c);
    if (v !== undefined) {
      return { v, source: Object.hasOwn(FEEDBACK_LEXICON, c) ? 'feedback' : 'vader', spelling: true };
    }
  }
  return null;
}

/** Superlatives and -ier/-ily forms; a candidate found this way must have |valence| ≥ 1.5. */
const WORD_FORMS: readonly [string, readonly string[]][] = [
  ['iest', ['y']],
  ['ier', ['y']],
  ['ily', ['y']],
  ['est', ['', 'e']],
];

/** The normalised word used for list look-ups: apostrophes dropped ("didn't" → "didnt"). */
function bare(t: Tok): string {
  const n = t.norm.replace(/'/g, '');
  return Object.hasOwn(MISSPELLINGS, t.norm) ? (MISSPELLINGS[t.norm] as string).replace(/'/g, '') : n;
}

function isBoundary(t: Tok): boolean {
  return t.kind === 'punct' || (t.kind === 'word' && CONTRAST_WORDS.has(t.norm));
}

interface Item {
  start: number;
  end: number;
  text: string;
  base: number;
  source: SentimentSource;
  rules: SentimentRule[];
  /** Function word: scores only when negated. */
  fn: boolean;
}

function score(
  s: string,
  toks: Tok[],
  count: number,
  custom: Map<string, number> | null,
  neutralWords: ReadonlySet<string>,
): FeedbackSentimentResult {
  const hasLower = /\p{Ll}/u.test(s);
  const items = findItems(toks, custom, neutralWords);
  const contributions: SentimentContribution[] = [];
  const contrast = contrastWeights(toks);
  // A negator explains one thing: a negated opinion word, else one negated function word.
  const negs = items.map((it) => negation(toks, it.start, it.fn ? 4 : 3));
  const usedNegators = new Set<number>();
  for (let k = 0; k < items.length; k++) {
    const n = negs[k] ?? null;
    if (n !== null && !(items[k] as Item).fn) usedNegators.add(n.at);
  }
  let sum = 0;
  for (let k = 0; k < items.length; k++) {
    const it = items[k] as Item;
    const v = itemPoints(it, negs[k] as Negation | null, toks, hasLower, contrast, usedNegators);
    if (v === 0) continue;
    sum += v;
    contributions.push({ text: it.text, points: v, base: it.base, source: it.source, rules: it.rules });
  }
  if (sum !== 0) sum = addExclamation(s, sum, contributions);
  return scoreResult(round(sum), contributions, count);
}

/** The scored items of a text, in order: emoji, emoticons, phrases, opinion words, function words. */
function findItems(
  toks: Tok[],
  custom: Map<string, number> | null,
  neutralWords: ReadonlySet<string>,
): Item[] {
  const items: Item[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    if (t.kind === 'emoji') {
      const e = t.norm.replace(/[\uFE0F\u{1F3FB}-\u{1F3FF}]/gu, '');
      const v = EMOJI[e];
      if (v !== undefined)
        items.push({ start: i, end: i, text: t.raw, base: v, source: 'emoji', rules: [], fn: false });
      continue;
    }
    if (t.kind === 'emoticon') {
      const v = lexicon().emoticons.get(t.norm) as number;
      items.push({ start: i, end: i, text: t.raw, base: v, source: 'emoticon', rules: [], fn: false });
      continue;
    }
    if (t.kind !== 'word') continue;
    const n = matchPhrase(toks, i, custom, items);
    if (n > 0) {
      i += n - 1;
      continue;
    }
    const w = t.norm;
    const b = bare(t);
    if (custom === null || !custom.has(w)) {
      if (NEGATORS.has(b) || Object.hasOwn(BOOSTERS, b) || CONTRAST_WORDS.has(w)) continue;
    }
    const f =
      neutralWords.has(w) && (custom === null || !custom.has(w)) ? null : lookup(w, custom, neutralWords);
    if (f !== null && f.v !== 0) {
      items.push({
        start: i,
        end: i,
        text: t.raw,
        base: f.v,
        source: f.source,
        rules: f.spelling ? ['spelling'] : [],
        fn: false,
      });
    } else if (FUNCTION_WORDS.has(b)) {
      items.push({ start: i, end: i, text: t.raw, base: 0, source: 'rule', rules: [], fn: true });
    }
  }
  return items;
}

/**
 * The phrase (four words, then three, then two) starting at word `i`, pushed to `items` when its
 * valence is not 0: the number of words it spans, 0 when no phrase starts there.
 */
function matchPhrase(toks: Tok[], i: number, custom: Map<string, number> | null, items: Item[]): number {
  for (let n = 4; n >= 2; n--) {
    if (i + n > toks.length) continue;
    let key = '';
    let ok = true;
    for (let k = 0; k < n; k++) {
      const u = toks[i + k] as Tok;
      if (u.kind !== 'word') {
        ok = false;
        break;
      }
      key += (k > 0 ? ' ' : '') + u.norm;
    }
    if (!ok) continue;
    const v = custom?.get(key) ?? (Object.hasOwn(FEEDBACK_PHRASES, key) ? FEEDBACK_PHRASES[key] : undefined);
    if (v === undefined) continue;
    if (v !== 0) {
      const text = toks
        .slice(i, i + n)
        .map((u) => u.raw)
        .join(' ');
      items.push({
        start: i,
        end: i + n - 1,
        text,
        base: v,
        source: custom?.has(key) ? 'custom' : 'phrase',
        rules: [],
        fn: false,
      });
    }
    return n;
  }
  return 0;
}

/**
 * The points of one item after its rules (negation, modifiers, caps, unmet expectation, comparison,
 * contrast), each rule applied pushed to `it.rules`; 0 for a function word no free negator explains.
 */
function itemPoints(
  it: Item,
  neg: Negation | null,
  toks: Tok[],
  hasLower: boolean,
  contrast: ArrayLike<number>,
  usedNegators: Set<number>,
): number {
  let v = it.base;
  const rules = it.rules;
  if (it.fn) {
    if (neg === null || usedNegators.has(neg.at)) return 0;
    usedNegators.add(neg.at);
    v = NEGATED_FUNCTION_VALENCE;
    rules.push('negated_function');
  } else if (it.source !== 'emoji' && it.source !== 'emoticon') {
    const boost = modifierBoost(toks, it.start);
    if (boost !== 0) {
      v += Math.sign(v) * boost;
      rules.push(boost > 0 ? 'intensified' : 'downtoned');
    }
    const t = toks[it.start] as Tok;
    if (t.caps && hasLower && it.start === it.end) {
      v += Math.sign(v) * C_INCR;
      rules.push('caps');
    }
    if (neg?.imperative && v < 0) {
      rules.push('warning'); // "don't waste your money", "do not be fooled": the warning is the opinion
    } else if (neg !== null && !(v > 0 && litotes(toks, it.start))) {
      v *= v > 0 ? N_POS : N_NEG;
      rules.push('negated');
    } else if (v > 0 && unmetExpectation(toks, it.start)) {
      v *= -0.5;
      rules.push('unmet_expectation');
    } else if (v > 0 && worseThanThis(toks, it.end)) {
      v *= -0.5;
      rules.push('comparison');
    }
  }
  const cw = contrast[it.start] as number;
  if (cw !== 1) {
    v *= cw;
    rules.push(cw < 1 ? 'before_contrast' : 'after_contrast');
  }
  return v;
}

/** Modifiers: intensifiers and downtoners up to three words before token `start`, same clause. */
function modifierBoost(toks: Tok[], start: number): number {
  let boost = 0;
  for (let d = 1, j = start - 1; d <= 3 && j >= 0; d++, j--) {
    const u = toks[j] as Tok;
    if (isBoundary(u)) break;
    if (u.kind !== 'word') continue;
    const b = bare(u);
    if (!Object.hasOwn(BOOSTERS, b)) continue;
    boost += (BOOSTERS[b] as number) * B_INCR * (d === 1 ? 1 : d === 2 ? 0.95 : 0.9);
  }
  return boost;
}

/** `sum` plus the exclamation marks' points (up to four), pushed to `contributions`. */
function addExclamation(s: string, sum: number, contributions: SentimentContribution[]): number {
  let bangs = 0;
  for (let i = 0; i < s.length && bangs < 4; i++) if (s.charCodeAt(i) === 33) bangs++;
  if (bangs === 0) return sum;
  const v = Math.sign(sum) * bangs * EXCL;
  contributions.push({
    text: '!'.repeat(bangs),
    points: v,
    base: 0,
    source: 'rule',
    rules: ['exclamation'],
  });
  return sum + v;
}

/** The result from the rounded total and the contributions (rounded here). */
function scoreResult(
  total: number,
  contributions: SentimentContribution[],
  count: number,
): FeedbackSentimentResult {
  const label = total >= 0.05 ? 'positive' : total <= -0.05 ? 'negative' : 'neutral';
  const positive: string[] = [];
  const negative: string[] = [];
  for (const c of contributions) {
    c.points = round(c.points);
    if (c.source === 'rule' && c.rules[0] === 'exclamation') continue;
    if (c.points > 0) positive.push(c.text.toLowerCase());
    else if (c.points < 0) negative.push(c.text.toLowerCase());
  }
  const isNeutral = label === 'neutral';
  return {
    score: isNeutral ? 0 : total,
    comparative: isNeutral ? 0 : total / Math.sqrt(total * total + ALPHA),
    label,
    neutral: isNeutral,
    confidence: isNeutral ? 0 : 1 - Math.exp(-Math.abs(total) / 2),
    positive,
    negative,
    contributions,
    explanation: explain(label, total, contributions),
    tokens: count,
    flag: null,
  };
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

interface Negation {
  /** Token index of the negator. */
  at: number;
  /** "don't ..." / "do not ..." / "never ..." opening its clause: advice, not a description. */
  imperative: boolean;
}

/**
 * The negator that negates token `i`: up to `scope` words before it in the same clause (an even number
 * of negators cancels; "not only" is not a negation), or null.
 */
function negation(toks: Tok[], i: number, scope: number): Negation | null {
  let neg = false;
  let at = -1;
  for (let d = 1, j = i - 1; d <= scope && j >= 0; d++, j--) {
    const u = toks[j] as Tok;
    if (isBoundary(u)) break;
    if (u.kind !== 'word') continue;
    if (NEGATORS.has(bare(u))) {
      const next = toks[j + 1];
      if (next !== undefined && next.kind === 'word' && next.norm === 'only') continue;
      neg = !neg;
      if (at < 0) at = j;
    }
  }
  return neg ? { at, imperative: isImperative(toks, at) } : null;
}

/** Words that may stand before an imperative "don't" in the same clause ("so just don't buy it"). */
const IMPERATIVE_LEAD = new Set([
  'so',
  'just',
  'please',
  'and',
  'then',
  'simply',
  'seriously',
  'everyone',
  'everybody',
  'people',
  'folks',
  'guys',
  'really',
]);

function isImperative(toks: Tok[], at: number): boolean {
  const t = toks[at] as Tok;
  const b = bare(t);
  let j = at - 1;
  if (b === 'not') {
    const prev = toks[j];
    if (prev === undefined || prev.kind !== 'word' || prev.norm !== 'do') return false;
    j--;
  } else if (b !== 'dont' && b !== 'never') return false;
  for (; j >= 0; j--) {
    const u = toks[j] as Tok;
    if (u.kind === 'punct') return true;
    if (u.kind !== 'word' || !IMPERATIVE_LEAD.has(u.norm)) return false;
  }
  return true;
}

/** "could not be happier", "can't be better": a negated comparative after "be" is praise. */
function litotes(toks: Tok[], i: number): boolean {
  const prev = toks[i - 1];
  const t = toks[i] as Tok;
  return prev !== undefined && prev.kind === 'word' && prev.norm === 'be' && /er$/.test(t.norm);
}

/** "better than this", "nicer than these": the praise is for something else. */
function worseThanThis(toks: Tok[], end: number): boolean {
  const t = toks[end] as Tok;
  const than = toks[end + 1];
  const obj = toks[end + 2];
  return (
    /(er|ior)$/.test(t.norm) &&
    than !== undefined &&
    than.norm === 'than' &&
    obj !== undefined &&
    (obj.norm === 'this' || obj.norm === 'these' || obj.norm === 'that' || obj.norm === 'it')
  );
}

/** "should have", "would have", "could have", "wish", "hoped", "supposed", "expected" earlier in the clause. */
function unmetExpectation(toks: Tok[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const u = toks[j] as Tok;
    if (isBoundary(u)) return false;
    if (u.kind !== 'word') continue;
    const k = bare(u);
    if (!IRREALIS_WORDS.has(k) && !/^(should|would|could)ve$/.test(k)) continue;
    if (k === 'should' || k === 'would' || k === 'could') {
      const next = toks[j + 1];
      if (next !== undefined && next.kind === 'word' && (next.norm === 'have' || next.norm === "'ve"))
        return true;
      continue;
    }
    if (k === 'if' || k === 'unless') continue;
    return true;
  }
  return false;
}

/** Weight of each token from contrast words, per sentence (sentences end at . ! ?). */
function contrastWeights(toks: Tok[]): Float64Array {
  const w = new Float64Array(toks.length).fill(1);
  let start = 0;
  for (let i = 0; i <= toks.length; i++) {
    const t = toks[i];
    const end = t === undefined || (t.kind === 'punct' && /[.!?]/.test(t.raw));
    if (!end) continue;
    // last "but"/"however" (not sentence-initial) of the sentence
    let pivot = -1;
    for (let j = start; j < i; j++) {
      const u = toks[j] as Tok;
      if (u.kind === 'word' && (u.norm === 'but' || u.norm === 'however') && j > start) pivot = j;
    }
    if (pivot >= 0) {
      for (let j = start; j < pivot; j++) w[j] = 0.5;
      for (let j = pivot + 1; j < i; j++) w[j] = 1.5;
    } else {
      const first = toks[start];
      if (
        first !== undefined &&
        first.kind === 'word' &&
        (first.norm === 'although' || first.norm === 'though')
      ) {
        let j = start + 1;
        while (j < i && (toks[j] as Tok).kind !== 'punct') w[j++] = 0.5;
        for (; j < i; j++) w[j] = 1.5;
      }
    }
    start = i + 1;
  }
  return w;
}

const RULE_NOTE: Partial<Record<SentimentRule, string>> = {
  negated: 'negated',
  negated_function: 'negated',
  intensified: 'intensified',
  downtoned: 'softened',
  caps: 'in capitals',
  before_contrast: 'before the contrast',
  after_contrast: 'after the contrast',
  unmet_expectation: 'unmet expectation',
  spelling: 'spelling fixed',
  warning: 'warning',
  comparison: 'compared unfavourably',
};

function fmtPoints(v: number): string {
  return `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(2)}`;
}

function explain(label: string, total: number, cs: readonly SentimentContribution[]): string {
  if (cs.length === 0) return 'neutral: no opinion word found';
  const top = [...cs]
    .filter((c) => c.rules[0] !== 'exclamation' || c.source !== 'rule')
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
    .slice(0, 4)
    .map((c) => {
      const notes = c.rules.map((r) => RULE_NOTE[r]).filter((n) => n !== undefined);
      return `"${c.text}" ${fmtPoints(c.points)}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
    });
  return `${label} (${fmtPoints(total)}): ${top.join(', ')}`;
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
