/**
 * feedbackSentiment's scorer: the lexicons (built on first use), word look-up with spelling repairs,
 * the scored items of a text, their rules and points, and the explanation.
 * @module
 */

import {
  BOOSTERS,
  CONTRAST_WORDS,
  EMOJI,
  FEEDBACK_LEXICON,
  FEEDBACK_PHRASES,
  FUNCTION_WORDS,
  MISSPELLINGS,
  NEGATED_FUNCTION_VALENCE,
  NEGATORS,
} from './_sentimentLexicon';
import {
  bare,
  contrastWeights,
  isBoundary,
  litotes,
  type Negation,
  negation,
  type Tok,
  unmetExpectation,
  worseThanThis,
} from './_sentimentRules';
import { VADER_LEXICON } from './_vaderLexicon';
import type {
  FeedbackSentimentResult,
  SentimentContribution,
  SentimentRule,
  SentimentSource,
} from './feedbackSentiment';

const N_POS = -0.74;
const N_NEG = -0.5;
const B_INCR = 0.293;
const C_INCR = 0.733;
const EXCL = 0.292;
const ALPHA = 15;

interface Lex {
  words: Map<string, number>;
  emoticons: Map<string, number>;
  /** Doubled letters collapsed → word, for words whose collapsed form is unique. */
  collapsed: Map<string, string>;
}

let lex: Lex | null = null;

/** The VADER and feedback lexicons and the emoticons, built on first use. */
export function lexicon(): Lex {
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

/** Scores tokenised English text (`count` words, emoji and emoticons): items, rules, sum, label, explanation. */
export function score(
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
