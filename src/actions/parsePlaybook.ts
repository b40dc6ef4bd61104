import * as z from 'zod';
import { unknownKeyIssues, ValidationError, type ValidationIssue, zodIssues } from '../_lib/errors';
import { lazy } from '../_lib/lazy';
import { compileCondition, conditionFields } from '../_lib/rules';
import { isPlainObject } from '../_lib/safe';
import type { Playbook, PlaybookPlay } from './types';

const FN = 'parsePlaybook';

const playSchema = lazy(() =>
  z.strictObject({
    id: z.string().min(1).max(200),
    when: z.unknown(),
    action: z.string().min(1).max(200),
    owner: z.string().min(1).max(200),
    dueDays: z.number().int().min(0).max(3650).optional(),
    reason: z.string().min(1).max(500).optional(),
    priority: z.number().refine(Number.isFinite, 'must be finite').optional(),
  }),
);
/** Playbooks made by {@link parsePlaybook}, so `recommendActions` can tell them from raw input. */
const COMPILED = new WeakSet<object>();

/** Whether `pb` came out of {@link parsePlaybook}. */
export function isCompiledPlaybook(pb: unknown): pb is Playbook {
  return typeof pb === 'object' && pb !== null && COMPILED.has(pb);
}

const PLAY_KEYS = ['id', 'when', 'action', 'owner', 'dueDays', 'reason', 'priority'];
const playbookSchema = lazy(() =>
  z.strictObject({
    name: z.string().min(1).max(200).optional(),
    plays: z.array(z.unknown()).min(1, 'a playbook needs at least one play').max(10_000),
  }),
);

function conditionText(when: unknown): string {
  if (typeof when === 'string') return when;
  try {
    const s = JSON.stringify(when);
    return s.length > 120 ? `${s.slice(0, 119)}…` : s;
  } catch {
    return 'condition';
  }
}

/**
 * Validates and compiles a playbook: plays of the form `{ id, when, action, owner, dueDays?,
 * reason?, priority? }` whose `when` is a condition in the library's rule language (the one
 * `segmentByRules` uses) over a customer record — e.g. `"band == at_risk"`,
 * `{ all: ["churnProbability > 0.5", "drivers.payment_failed >= 2"] }`.
 *
 * Missing-data policy: none — every problem (unknown keys with "did you mean", bad conditions,
 * duplicate ids) is reported with its path; nothing is dropped silently.
 *
 * @param input the playbook (parsed JSON).
 * @returns the compiled playbook, with the customer fields its conditions read.
 * @throws ValidationError listing every located issue (`plays.1.when`, `plays.0.owner`, ...).
 * @example
 * ```ts
 * const pb = parsePlaybook({ plays: [{ id: 'billing', when: 'failedPayments >= 2', action: 'update_billing', owner: 'billing' }] });
 * pb.plays[0].dueDays; // => 7
 * pb.fields; // => ['failedPayments']
 * ```
 */
export function parsePlaybook(input: unknown): Playbook {
  if (isPlainObject(input)) {
    const unknown = unknownKeyIssues(input, ['name', 'plays']);
    if (unknown.length > 0) throw new ValidationError(FN, unknown, 'playbook');
  }
  const top = playbookSchema().safeParse(input);
  if (!top.success) throw new ValidationError(FN, zodIssues(top.error), 'playbook');
  const issues: ValidationIssue[] = [];
  const plays: PlaybookPlay[] = [];
  const ids = new Set<string>();
  const fields = new Set<string>();
  top.data.plays.forEach((raw, i) => {
    if (isPlainObject(raw)) {
      const unknown = unknownKeyIssues(raw, PLAY_KEYS, ['plays', i]);
      if (unknown.length > 0) {
        issues.push(...unknown);
        return;
      }
    }
    const r = playSchema().safeParse(raw);
    if (!r.success) {
      issues.push(...zodIssues(r.error, ['plays', i]));
      return;
    }
    const p = r.data;
    if (ids.has(p.id))
      issues.push({
        path: ['plays', i, 'id'],
        code: 'duplicate_id',
        message: `play id "${p.id}" is used twice`,
      });
    ids.add(p.id);
    if (p.when === undefined) {
      issues.push({ path: ['plays', i, 'when'], code: 'required', message: '"when" is required' });
      return;
    }
    const before = issues.length;
    const when = compileCondition(p.when, ['plays', i, 'when'], issues);
    if (issues.length > before) return;
    conditionFields(when, fields);
    plays.push({
      id: p.id,
      when,
      action: p.action,
      owner: p.owner,
      dueDays: p.dueDays ?? 7,
      reason: p.reason ?? conditionText(p.when),
      priority: p.priority ?? 0,
    });
  });
  if (issues.length > 0) throw new ValidationError(FN, issues, 'playbook');
  const pb: Playbook = { name: top.data.name ?? 'playbook', plays, fields: [...fields].sort() };
  COMPILED.add(pb);
  return pb;
}
