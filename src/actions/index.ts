/**
 * `customer-vitals/actions`: next-best actions from playbooks (`parsePlaybook`, `recommendActions`)
 * and the measured effect of an action on churn (`actionEffect`).
 * @module
 */

export type { EventLike } from './_eventRows';
export type { ActionEffectOptions } from './actionEffect';
export { actionEffect } from './actionEffect';
export { parsePlaybook } from './parsePlaybook';
export type { ActionCustomer, RecommendActionsOptions } from './recommendActions';
export { recommendActions } from './recommendActions';
export type {
  ActionEffectResult,
  ActionEffectWarningCode,
  CustomerActions,
  CustomerState,
  EffectStratum,
  Playbook,
  PlaybookInput,
  PlaybookPlay,
  PlaybookPlayInput,
  RecommendActionsResult,
  RecommendedAction,
  RecommendWarningCode,
} from './types';
