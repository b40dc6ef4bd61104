/**
 * feedbackSentiment's clause rules over tokens: negation scope, imperative warnings, litotes, unmet
 * expectations, comparisons and contrast weights.
 * @module
 */

import { CONTRAST_WORDS, IRREALIS_WORDS, MISSPELLINGS, NEGATORS } from './_sentimentLexicon';

/** A token of feedback text. */
export interface Tok {
  kind: 'word' | 'punct' | 'emoji' | 'emoticon';
  raw: string;
  /** Lower-cased, ’ → ', for words; the emoji without modifiers; the emoticon as found. */
  norm: string;
  /** Word written in capitals (two letters or more). */
  caps: boolean;
}

/** The normalised word used for list look-ups: apostrophes dropped ("didn't" → "didnt"). */
export function bare(t: Tok): string {
  const n = t.norm.replace(/'/g, '');
  return Object.hasOwn(MISSPELLINGS, t.norm) ? (MISSPELLINGS[t.norm] as string).replace(/'/g, '') : n;
}

export function isBoundary(t: Tok): boolean {
  return t.kind === 'punct' || (t.kind === 'word' && CONTRAST_WORDS.has(t.norm));
}

export interface Negation {
  /** Token index of the negator. */
  at: number;
  /** "don't ..." / "do not ..." / "never ..." opening its clause: advice, not a description. */
  imperative: boolean;
}

/**
 * The negator that negates token `i`: up to `scope` words before it in the same clause (an even number
 * of negators cancels; "not only" is not a negation), or null.
 */
export function negation(toks: Tok[], i: number, scope: number): Negation | null {
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
export function litotes(toks: Tok[], i: number): boolean {
  const prev = toks[i - 1];
  const t = toks[i] as Tok;
  return prev !== undefined && prev.kind === 'word' && prev.norm === 'be' && /er$/.test(t.norm);
}

/** "better than this", "nicer than these": the praise is for something else. */
export function worseThanThis(toks: Tok[], end: number): boolean {
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
export function unmetExpectation(toks: Tok[], i: number): boolean {
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
export function contrastWeights(toks: Tok[]): Float64Array {
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
