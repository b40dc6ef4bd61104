import * as z from 'zod';
import { ValidationError, type ValidationIssue, zodIssues } from '../_lib/errors';
import { lazy } from '../_lib/lazy';
import { callerName } from './_input';

/** An inclusive score range `[min, max]`, or a single score. */
export type ScoreRange = number | readonly [number, number];

/** One cell set of an RFM segment: every given range must hold (missing = any score). */
export interface RfmCellRule {
  r?: ScoreRange;
  f?: ScoreRange;
  m?: ScoreRange;
  /** FM = ⌈(F + M) / 2⌉, the combined frequency–monetary score. */
  fm?: ScoreRange;
}

/** A named RFM segment: matches when any of its `match` rules holds. */
export interface RfmSegmentDefinition {
  /** Stable identifier, e.g. `champions`. */
  id: string;
  /** Display name, e.g. `Champions`. */
  name: string;
  /** What the segment means and what to do about it. */
  description?: string;
  match: readonly RfmCellRule[];
}

/**
 * A segment map: segments are tried in order and the first match wins; customers matching none go
 * to `fallback`, so every customer lands in exactly one segment.
 */
export interface RfmSegmentMap {
  segments: readonly RfmSegmentDefinition[];
  /** Segment for customers no rule matches. @default { id: 'other', name: 'Other' } */
  fallback?: { id: string; name: string };
}

/**
 * The 11 standard RFM segments on the R × FM grid (5 bins), FM = ⌈(F + M) / 2⌉.
 * The cells form a partition of the 25 (R, FM) pairs, so no fallback is ever used:
 *
 * | Segment            | R     | FM    | Meaning / action                                              |
 * |--------------------|-------|-------|---------------------------------------------------------------|
 * | Champions          | 5     | 4–5   | Bought recently, often, and spend the most. Reward them.      |
 * |                    | 4     | 5     |                                                               |
 * | Loyal              | 4     | 4     | Buy regularly and spend well. Upsell, ask for reviews.        |
 * |                    | 3     | 4–5   |                                                               |
 * | Potential Loyalist | 4–5   | 2–3   | Recent with average frequency. Offer membership / loyalty.    |
 * | New Customers      | 5     | 1     | Bought very recently, once. Onboard well.                     |
 * | Promising          | 4     | 1     | Recent, low frequency and spend. Build awareness.             |
 * | Need Attention     | 3     | 3     | Average on everything, slipping. Time-limited offers.         |
 * | About to Sleep     | 3     | 1–2   | Below average, recency slipping. Reactivate.                  |
 * | At Risk            | 1–2   | 3–4   | Used to buy well, not for a long time. Personal outreach.     |
 * | Can't Lose Them    | 1–2   | 5     | Were the best customers, long gone. Win them back now.        |
 * | Hibernating        | 2     | 1–2   | Long ago, low frequency and spend. Re-engage cheaply.         |
 * | Lost               | 1     | 1–2   | Lowest on every score. Ignore or a last low-cost campaign.    |
 */
export const RFM_STANDARD_SEGMENTS: RfmSegmentMap = {
  segments: [
    {
      id: 'champions',
      name: 'Champions',
      description: 'Bought recently, buy often and spend the most. Reward them; they promote you.',
      match: [
        { r: 5, fm: [4, 5] },
        { r: 4, fm: 5 },
      ],
    },
    {
      id: 'loyal',
      name: 'Loyal',
      description: 'Buy regularly and spend well. Upsell higher-value products, ask for reviews.',
      match: [
        { r: 4, fm: 4 },
        { r: 3, fm: [4, 5] },
      ],
    },
    {
      id: 'potential_loyalist',
      name: 'Potential Loyalist',
      description: 'Recent customers with average frequency. Offer membership or loyalty programmes.',
      match: [{ r: [4, 5], fm: [2, 3] }],
    },
    {
      id: 'new_customers',
      name: 'New Customers',
      description: 'Bought most recently, but only once and little. Onboard them well.',
      match: [{ r: 5, fm: 1 }],
    },
    {
      id: 'promising',
      name: 'Promising',
      description: 'Recent shoppers who have not bought much yet. Build brand awareness, free trials.',
      match: [{ r: 4, fm: 1 }],
    },
    {
      id: 'need_attention',
      name: 'Need Attention',
      description: 'Average recency, frequency and spend. Time-limited offers before they slip.',
      match: [{ r: 3, fm: 3 }],
    },
    {
      id: 'about_to_sleep',
      name: 'About to Sleep',
      description: 'Below-average frequency and spend, recency slipping. Share popular products, reactivate.',
      match: [{ r: 3, fm: [1, 2] }],
    },
    {
      id: 'at_risk',
      name: 'At Risk',
      description: 'Used to buy often and spend well, but not for a long time. Personal outreach.',
      match: [{ r: [1, 2], fm: [3, 4] }],
    },
    {
      id: 'cant_lose_them',
      name: "Can't Lose Them",
      description: 'Were among the best customers, long gone. Win them back with renewals or new products.',
      match: [{ r: [1, 2], fm: 5 }],
    },
    {
      id: 'hibernating',
      name: 'Hibernating',
      description: 'Last purchase long ago, few orders, low spend. Re-engage with relevant offers.',
      match: [{ r: 2, fm: [1, 2] }],
    },
    {
      id: 'lost',
      name: 'Lost',
      description: 'Lowest recency, frequency and spend. A last low-cost campaign, otherwise ignore.',
      match: [{ r: 1, fm: [1, 2] }],
    },
  ],
};

const scoreRange = lazy(() =>
  z.union([
    z.number().int().min(1).max(9),
    z
      .tuple([z.number().int().min(1).max(9), z.number().int().min(1).max(9)])
      .refine(([lo, hi]) => lo <= hi, { message: 'range [min, max] needs min <= max' }),
  ]),
);

const segmentMapSchema = lazy(() =>
  z.strictObject({
    segments: z
      .array(
        z.strictObject({
          id: z.string().min(1).max(100),
          name: z.string().min(1).max(200),
          description: z.string().max(2000).optional(),
          match: z
            .array(
              z.strictObject({
                r: scoreRange().optional(),
                f: scoreRange().optional(),
                m: scoreRange().optional(),
                fm: scoreRange().optional(),
              }),
            )
            .min(1),
        }),
      )
      .min(1),
    fallback: z.strictObject({ id: z.string().min(1).max(100), name: z.string().min(1).max(200) }).optional(),
  }),
);

/**
 * Validates a custom RFM segment map given as data (e.g. parsed JSON) and returns it typed.
 * Segment ids must be unique.
 *
 * @param value the candidate map.
 * @param fn public function name used in error messages.
 * @returns the validated {@link RfmSegmentMap}.
 * @throws ValidationError with every located issue, e.g. `field "segments.2.match.0.r": ...`.
 * @example
 * ```ts
 * parseRfmSegmentMap({ segments: [{ id: 'vip', name: 'VIP', match: [{ m: 5 }] }] });
 * // => { segments: [...], fallback: undefined }
 * ```
 */
export function parseRfmSegmentMap(value: unknown, fn = 'parseRfmSegmentMap'): RfmSegmentMap {
  fn = callerName(fn, 'parseRfmSegmentMap');
  const parsed = segmentMapSchema().safeParse(value);
  if (!parsed.success) throw new ValidationError(fn, zodIssues(parsed.error), 'segment map');
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (let i = 0; i < parsed.data.segments.length; i++) {
    const id = (parsed.data.segments[i] as { id: string }).id;
    if (seen.has(id)) {
      issues.push({
        path: ['segments', i, 'id'],
        code: 'duplicate_id',
        message: `duplicate segment id "${id}"`,
      });
    }
    seen.add(id);
  }
  if (issues.length > 0) throw new ValidationError(fn, issues, 'segment map');
  return parsed.data as RfmSegmentMap;
}
