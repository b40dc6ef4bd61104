/**
 * A pre-pass over a scorecard (or scorecard set) as read from JSON, before zod: every object's
 * keys are checked against the format (an unknown key such as `mising` or `higherIsbetter` is an
 * error naming the closest valid key, never silently dropped), and group and condition nesting is
 * capped so hostile input gets a located error instead of a stack overflow.
 * @module
 */
import { unknownKeyIssues, ValidationError, type ValidationIssue } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';

/** Deepest group nesting accepted (a group inside a group ... 32 levels). */
export const MAX_GROUP_DEPTH = 32;
/** Deepest `any` nesting accepted in a profile condition. */
export const MAX_CONDITION_DEPTH = 32;

const SCORECARD = ['id', 'label', 'bands', 'lowCoverageBelow', 'neutralScore', 'groups'];
const SET = ['rules', 'default'];
const RULE = ['when', 'scorecard'];
const GROUP = ['id', 'label', 'weight', 'measures', 'groups'];
const MEASURE = ['id', 'label', 'signal', 'days', 'weight', 'curve', 'missing'];
const BAND = ['label', 'min'];
const CONDITION = ['plan', 'tenureDays', 'mrr', 'attributes', 'any'];
const RANGE = ['min', 'max'];
const CURVES: Readonly<Record<string, readonly string[]>> = {
  step: ['type', 'thresholds', 'points'],
  linear: ['type', 'worst', 'best'],
  percentile: ['type', 'higherIsBetter', 'segmentBy'],
  baseline: ['type', 'lagDays', 'worst', 'best'],
};
const ALL_CURVE_KEYS = [
  'type',
  'thresholds',
  'points',
  'worst',
  'best',
  'higherIsBetter',
  'segmentBy',
  'lagDays',
];

type Path = (string | number)[];

class KeyCheck {
  readonly issues: ValidationIssue[] = [];
  keys(obj: unknown, known: readonly string[], path: Path): obj is Record<string, unknown> {
    if (!isPlainObject(obj)) return false; // zod reports the type
    if (this.issues.length < 100) this.issues.push(...unknownKeyIssues(obj, known, path, 'key'));
    return true;
  }
  each(list: unknown, path: Path, visit: (item: unknown, at: Path) => void): void {
    if (!Array.isArray(list)) return;
    for (let i = 0; i < list.length && this.issues.length < 100; i++) visit(list[i], [...path, i]);
  }
  scorecard(sc: unknown, path: Path): void {
    if (!this.keys(sc, SCORECARD, path)) return;
    this.each(sc.bands, [...path, 'bands'], (b, at) => this.keys(b, BAND, at));
    this.each(sc.groups, [...path, 'groups'], (g, at) => this.group(g, at, 1));
  }
  group(g: unknown, path: Path, depth: number): void {
    if (!this.keys(g, GROUP, path)) return;
    if (depth > MAX_GROUP_DEPTH) {
      this.issues.push({
        path,
        code: 'too_deep',
        message: `groups are nested more than ${MAX_GROUP_DEPTH} levels deep`,
      });
      return;
    }
    this.each(g.measures, [...path, 'measures'], (m, at) => this.measure(m, at));
    this.each(g.groups, [...path, 'groups'], (c, at) => this.group(c, at, depth + 1));
  }
  measure(m: unknown, path: Path): void {
    if (!this.keys(m, MEASURE, path)) return;
    const c = m.curve;
    if (!isPlainObject(c)) return;
    const type = c.type;
    const known = typeof type === 'string' && Object.hasOwn(CURVES, type) ? CURVES[type] : ALL_CURVE_KEYS;
    this.keys(c, known as readonly string[], [...path, 'curve']);
  }
  condition(c: unknown, path: Path, depth: number): void {
    if (!this.keys(c, CONDITION, path)) return;
    if (depth > MAX_CONDITION_DEPTH) {
      this.issues.push({
        path,
        code: 'too_deep',
        message: `conditions are nested more than ${MAX_CONDITION_DEPTH} levels deep`,
      });
      return;
    }
    this.keys(c.tenureDays, RANGE, [...path, 'tenureDays']);
    this.keys(c.mrr, RANGE, [...path, 'mrr']);
    this.each(c.any, [...path, 'any'], (x, at) => this.condition(x, at, depth + 1));
  }
}

/**
 * Checks the keys and nesting of a scorecard or scorecard set (see the module comment).
 * @throws ValidationError (codes `unknown_key`, `too_deep`) naming every problem with its path.
 * @internal
 */
export function checkScorecardKeys(input: unknown, fn: string): void {
  if (input === null || input === undefined || typeof input !== 'object') {
    const got = input === null ? 'null' : typeof input;
    throw new ValidationError(
      fn,
      [{ path: [], code: 'invalid_type', message: `a scorecard must be an object, got ${got}` }],
      'scorecard',
    );
  }
  const k = new KeyCheck();
  if (Object.hasOwn(input, 'default')) {
    if (k.keys(input, SET, [])) {
      k.scorecard(input.default, ['default']);
      k.each(input.rules, ['rules'], (r, at) => {
        if (!k.keys(r, RULE, at)) return;
        k.condition(r.when, [...at, 'when'], 1);
        k.scorecard(r.scorecard, [...at, 'scorecard']);
      });
    }
  } else k.scorecard(input, []);
  if (k.issues.length > 0) throw new ValidationError(fn, k.issues, 'scorecard');
}
