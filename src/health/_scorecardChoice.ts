/**
 * Profiles, profile conditions and the choice of a scorecard per customer.
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { MS_PER_DAY } from '../_lib/time';
import type { CustomerProfile } from '../events/types';
import type { CompiledScorecard, CompiledSet } from './compileScorecard';
import type { ProfileCondition } from './scorecardSchema';

/**
 * Normalises profiles (array or Map) into a Map.
 * @throws ValidationError when `profiles` is neither, or a profile has no string `customerId`.
 * @internal
 */
export function toProfileMap(
  profiles: readonly CustomerProfile[] | ReadonlyMap<string, CustomerProfile> | undefined,
  fn = 'scoreHealth',
): ReadonlyMap<string, CustomerProfile> {
  if (profiles === undefined) return new Map();
  if (profiles instanceof Map) return profiles;
  if (!Array.isArray(profiles)) {
    throw new ValidationError(fn, [
      { path: ['profiles'], code: 'invalid_type', message: 'option "profiles" must be an array or a Map' },
    ]);
  }
  const m = new Map<string, CustomerProfile>();
  for (let i = 0; i < profiles.length; i++) {
    const p = profiles[i] as CustomerProfile | null;
    if (p === null || typeof p !== 'object' || typeof p.customerId !== 'string') {
      throw new ValidationError(fn, [
        {
          index: i,
          path: ['profiles', i, 'customerId'],
          code: 'invalid_type',
          message: 'a profile needs a string customerId',
        },
      ]);
    }
    m.set(p.customerId, p);
  }
  return m;
}

function inRange(v: number | undefined, r: { min?: number | undefined; max?: number | undefined }): boolean {
  if (v === undefined || Number.isNaN(v)) return false;
  return (r.min === undefined || v >= r.min) && (r.max === undefined || v < r.max);
}

function attributesMatch(
  wanted: NonNullable<ProfileCondition['attributes']>,
  profile: CustomerProfile | undefined,
): boolean {
  for (const key of Object.keys(wanted)) {
    const want = wanted[key];
    const attrs = profile?.attributes;
    const have = attrs !== undefined && Object.hasOwn(attrs, key) ? attrs[key] : undefined;
    if (have === undefined) return false;
    const options = Array.isArray(want) ? want : [want];
    if (!options.includes(have)) return false;
  }
  return true;
}

/** True when the profile satisfies every field of the condition. @internal */
export function matchesCondition(
  c: ProfileCondition,
  profile: CustomerProfile | undefined,
  tenureDays: number,
): boolean {
  if (c.plan !== undefined) {
    const plans = Array.isArray(c.plan) ? c.plan : [c.plan];
    if (profile?.plan === undefined || !plans.includes(profile.plan)) return false;
  }
  if (c.tenureDays !== undefined && !inRange(tenureDays, c.tenureDays)) return false;
  if (c.mrr !== undefined && !inRange(profile?.mrr, c.mrr)) return false;
  if (c.attributes !== undefined && !attributesMatch(c.attributes, profile)) return false;
  if (c.any !== undefined && !c.any.some((sub) => matchesCondition(sub, profile, tenureDays))) return false;
  return true;
}

/** The scorecard of one customer: the first rule whose condition holds, else the fallback. @internal */
export function chooseScorecard(
  set: CompiledSet,
  firstTimestamp: number,
  profile: CustomerProfile | undefined,
  asOf: number,
): CompiledScorecard {
  if (set.rules.length === 0) return set.fallback;
  const since = profile?.signupDate ?? firstTimestamp;
  const tenure = (asOf - since) / MS_PER_DAY;
  for (const r of set.rules) if (matchesCondition(r.when, profile, tenure)) return r.scorecard;
  return set.fallback;
}

/** The peer segment of a percentile curve (`plan` or a profile attribute), '' for everyone. @internal */
export function segmentKey(segmentBy: string | undefined, profile: CustomerProfile | undefined): string {
  if (segmentBy === undefined) return '';
  if (segmentBy === 'plan') return profile?.plan ?? '';
  const attrs = profile?.attributes;
  const v = attrs !== undefined && Object.hasOwn(attrs, segmentBy) ? attrs[segmentBy] : undefined;
  return v === undefined ? '' : String(v);
}
