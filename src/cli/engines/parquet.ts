/**
 * Parquet input for the JS path (`--engine js` on a .parquet file), through `hyparquet` (pure JS,
 * no dependencies, ~75 kB packed): an optional peer dependency, imported only when a Parquet file is read.
 * @module
 */
import { VitalsError } from '../../_lib/errors';

type Hyparquet = typeof import('hyparquet');

/** Thrown when `hyparquet` is not installed. */
export class ParquetUnavailableError extends VitalsError {
  constructor(cause: unknown) {
    super(
      'reading Parquet needs the optional package hyparquet: run "npm install hyparquet" (or use --engine duckdb)',
      {
        cause,
      },
    );
    this.name = 'ParquetUnavailableError';
  }
}

let loaded: Promise<Hyparquet> | undefined;

/** Imports `hyparquet` (once). @throws {ParquetUnavailableError} when it is absent. */
export function loadHyparquet(): Promise<Hyparquet> {
  loaded ??= import('hyparquet').catch((e: unknown) => {
    loaded = undefined;
    throw new ParquetUnavailableError(e);
  });
  return loaded;
}

/** Plain values for parseEvents: bigint → number (exact up to 2^53), Date kept, nested objects as they are. */
function plain(row: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(row)) {
    const v = row[k];
    if (typeof v === 'bigint') row[k] = Number(v);
  }
  return row;
}

/**
 * Reads a Parquet file as row objects, `batchRows` rows at a time (so a large file is never held
 * as objects all at once): feed each batch to `parseEvents` (or the streaming parser) and drop it.
 * Timestamps arrive as `Date`s, INT64 numbers as numbers.
 * @param file path of the Parquet file.
 * @param options `batchRows` (default 50,000).
 * @returns an async iterable of row batches.
 * @throws {ParquetUnavailableError} when `hyparquet` is not installed.
 */
export async function* readParquetRows(
  file: string,
  options: { batchRows?: number } = {},
): AsyncGenerator<Record<string, unknown>[]> {
  const hp = await loadHyparquet();
  const buffer = await hp.asyncBufferFromFile(file);
  const metadata = await hp.parquetMetadataAsync(buffer);
  const total = Number(metadata.num_rows);
  const step = Math.max(1, Math.floor(options.batchRows ?? 50_000));
  for (let start = 0; start < total; start += step) {
    const rows = (await hp.parquetReadObjects({
      file: buffer,
      metadata,
      rowStart: start,
      rowEnd: Math.min(total, start + step),
    })) as Record<string, unknown>[];
    yield rows.map(plain);
  }
}
