/**
 * `rocAuc` lives in `src/_lib/auc.ts` (shared with health); the churn module re-exports it and the
 * DeLong interval.
 * @module
 */
export { type AucInterval, rocAuc, rocAucInterval } from '../_lib/auc';
