/**
 * `customer-vitals/segment`: which groups of customers do we have, and who is in which. RFM scores
 * and named segments, behavioural clusters, value tiers, lifecycle stages, JSON rule segments and
 * feedback sentiment; every assignment comes with its reason.
 * @module
 */

export type { FeatureColumns, FeatureMatrix, FeatureRow, FeatureTable } from './_featureTable';
export type { FeedbackSource, WindowSentiment } from './_sentimentWindow';
export { DEFAULT_FEEDBACK_SOURCES } from './_sentimentWindow';
export { adjustedRandIndex } from './adjustedRandIndex';
export type {
  ClusterAssignment,
  ClusterFeatureInfo,
  ClusterModelCluster,
  ClusterModelJSON,
} from './CustomerClusterModel';
export { CLUSTER_MODEL, CustomerClusterModel, loadClusterModel } from './CustomerClusterModel';
export type {
  ClusterCustomersOptions,
  ClusterFeatureProfile,
  ClusterResult,
  CustomerCluster,
  KSelection,
} from './clusterCustomers';
export { clusterCustomers } from './clusterCustomers';
export type {
  CustomerFeedbackSentiment,
  CustomerFeedbackSentimentOptions,
} from './customerFeedbackSentiment';
export { customerFeedbackSentiment } from './customerFeedbackSentiment';
export type {
  FeedbackSentimentOptions,
  FeedbackSentimentResult,
  SentimentContribution,
  SentimentFlag,
  SentimentRule,
  SentimentSource,
} from './feedbackSentiment';
export { feedbackSentiment, NEUTRAL_FEEDBACK_WORDS } from './feedbackSentiment';
export type {
  FeedbackSentimentSignalFn,
  FeedbackSentimentSignalOptions,
  FeedbackSignalContext,
} from './feedbackSentimentSignal';
export { feedbackSentimentSignal } from './feedbackSentimentSignal';
export type {
  LifecycleAssignment,
  LifecycleResult,
  LifecycleStageName,
  LifecycleStageOptions,
  LifecycleThresholds,
} from './lifecycleStage';
export { DEFAULT_LIFECYCLE_THRESHOLDS, LIFECYCLE_STAGES, lifecycleStage } from './lifecycleStage';
export type { RfmCellRule, RfmSegmentDefinition, RfmSegmentMap, ScoreRange } from './parseRfmSegmentMap';
export { parseRfmSegmentMap, RFM_STANDARD_SEGMENTS } from './parseRfmSegmentMap';
export type {
  CompiledCondition,
  CompiledSegmentRules,
  RuleCondition,
  RuleOperator,
  RulePrimitive,
  SegmentRule,
  SegmentRules,
} from './parseSegmentRules';
export { MAX_RULE_DEPTH, parseSegmentRules } from './parseSegmentRules';
export type { RfmCutoffs, RfmResult, RfmScore, RfmScoresOptions, RfmWarningCode } from './rfmScores';
export { rfmScores } from './rfmScores';
export type {
  RfmSegmentAssignment,
  RfmSegmentSummary,
  RfmSegmentsOptions,
  RfmSegmentsResult,
} from './rfmSegments';
export { rfmSegments } from './rfmSegments';
export type { RuleAssignment, SegmentByRulesOptions, SegmentByRulesResult } from './segmentByRules';
export { segmentByRules } from './segmentByRules';
export type {
  ConcentrationPoint,
  ValueTierAssignment,
  ValueTierDefinition,
  ValueTierSummary,
  ValueTiersOptions,
  ValueTiersResult,
} from './valueTiers';
export { DEFAULT_VALUE_TIERS, valueTiers } from './valueTiers';
