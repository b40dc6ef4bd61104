/**
 * Statistics helpers of actions, fairness, onboarding and acquisition: the shared ones in _lib.
 * @module
 */
export { adjustedPropVar, erfc, normalCdf, twoSidedP, wilson, Z95 } from '../_lib/stats';
