/**
 * customer-vitals/sql: the per-customer aggregations as SQL (DuckDB, PostgreSQL, BigQuery,
 * Snowflake), and adapters that turn the rows back into the library's inputs.
 * @module
 */
export type { ChurnFeaturesFromRowsOptions } from './churnFeaturesFromRows';
export { churnFeaturesFromRows } from './churnFeaturesFromRows';
export type { ChurnLabelsFromRowsOptions } from './churnLabelsFromRows';
export { churnLabelsFromRows } from './churnLabelsFromRows';
export type { SqlColumn, SqlDialect, SqlMapping, TimestampStorage } from './dialect';
export { SQL_DIALECTS } from './dialect';
export type { SqlSignalRequest } from './healthSignalsSql';
export { signalColumn } from './healthSignalsSql';
export type { RfmScoresFromRowsOptions } from './rfmScoresFromRows';
export { rfmScoresFromRows } from './rfmScoresFromRows';
export type { RfmSummaryFromRowsOptions, RfmSummaryRows } from './rfmSummaryFromRows';
export { rfmSummaryFromRows } from './rfmSummaryFromRows';
export type { SqlRow } from './rows';
export type { SqlColumnValues } from './SqlColumns';
export { SqlColumns, SqlRowView } from './SqlColumns';
export type { ScoreHealthFromRowsOptions } from './scoreHealthFromRows';
export { scoreHealthFromRows } from './scoreHealthFromRows';
export type { SqlQueryKind, ToSqlOptions } from './toSql';
export { toSql } from './toSql';
