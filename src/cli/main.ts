/**
 * The `customer-vitals` command line: run the library on a CSV/JSON/NDJSON export.
 * This is the only part of the package that uses Node APIs. `index.ts` is the executable entry.
 *
 * Conventions (tested in test/cli): per-command `--help` with examples; `--version`; `-` reads
 * stdin; option values validated with the option named; unknown options answered with the closest
 * valid one; exit codes 0 (success), 1 (data problem), 2 (usage problem); results on stdout (or
 * `--out`), notices, warnings and progress on stderr; control characters in data escaped in text
 * output; CSV output safe against formula injection.
 */
import { version } from '../../package.json';
import { closestName } from '../_lib/closest';
import { VitalsError } from '../_lib/errors';
import type { AnalysisInput } from './commands/shared';
import { Context } from './context';
import { DataProblem, EXIT, type Io, processIo, UsageError } from './io';
import type { CommandResult, Format } from './output';
import { Progress } from './progress';
import { COMMANDS, commandHelp, commandSpec, globalHelp } from './spec';
import { escapeControl } from './text';

type Analysis = (input: AnalysisInput) => CommandResult<unknown>;

// Each command's code (and the library modules it needs, with their zod schemas) is imported when
// the command runs, not at every start: `--version`, `--help` and one command load only their own
// part of the bundle (#14, cold start; the bundler splits these imports into chunks).
const ANALYSES: Record<string, () => Promise<Analysis>> = {
  health: async () => (await import('./commands/health')).healthCommand as Analysis,
  churn: async () => (await import('./commands/churn')).churnCommand as Analysis,
  clv: async () => (await import('./commands/clv')).clvCommand as Analysis,
  segment: async () => (await import('./commands/segment')).segmentCommand as Analysis,
  metrics: async () => (await import('./commands/metrics')).metricsCommand as Analysis,
};

/** The package version printed by `--version`. */
export const VERSION: string = version;

/**
 * Runs the CLI with the given arguments; resolves to the exit code. `io` defaults to the process's
 * streams; tests pass their own to capture stdout and stderr.
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const first = argv[0];
  if (first === undefined) {
    await io.stderr.write(globalHelp());
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const spec = argv[1] ? commandSpec(argv[1]) : undefined;
    await io.stdout.write(spec ? commandHelp(spec) : globalHelp());
    return EXIT.ok;
  }
  if (first === '--version' || first === '-V') {
    await io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const spec = commandSpec(first);
  const label = spec ? `customer-vitals ${spec.name}` : 'customer-vitals';
  try {
    if (spec === undefined) {
      const near = closestName(
        first,
        COMMANDS.map((c) => c.name),
      );
      throw new UsageError(
        first.startsWith('-')
          ? `unknown option ${first} before the command (see customer-vitals --help)`
          : `unknown command "${first}"${near ? `; did you mean "${near}"?` : ''} (see customer-vitals --help)`,
      );
    }
    const { Options, parseArgv } = await import('./args');
    const parsed = parseArgv(argv.slice(1), spec.options, spec.name);
    const opts = new Options(parsed, spec.name);
    if (opts.flag('help')) {
      await io.stdout.write(commandHelp(spec));
      return EXIT.ok;
    }
    const progress = new Progress(io.stderr, io.stderr.isTTY === true && !opts.flag('quiet'));
    const ctx = new Context(spec.name, opts, io, progress);
    return await run(ctx, parsed.positionals);
  } catch (e) {
    return report(io, label, e);
  }
}

async function report(io: Io, label: string, e: unknown): Promise<number> {
  if (e instanceof UsageError) {
    await io.stderr.write(`${label}: ${escapeControl(e.message)}\n`);
    return EXIT.usage;
  }
  if (e instanceof VitalsError && e.name === 'DuckDbUnavailableError') {
    await io.stderr.write(`${label}: ${escapeControl(e.message)}\n`);
    return EXIT.usage;
  }
  if (e instanceof DataProblem || e instanceof VitalsError) {
    await io.stderr.write(`${label}: ${escapeControl(e.message)}\n`);
    return EXIT.data;
  }
  if (
    e instanceof RangeError &&
    /string length|string longer|Array buffer allocation|Invalid array length/i.test(e.message)
  ) {
    await io.stderr.write(
      `${label}: the input is too large to process in memory (${e.message}). Use NDJSON (streamed) ` +
        'instead of a JSON array, split the file, or use --engine duckdb.\n',
    );
    return EXIT.data;
  }
  await io.stderr.write(
    `${label}: unexpected error: ${escapeControl(e instanceof Error ? e.message : String(e))}` +
      `${io.env.CUSTOMER_VITALS_DEBUG && e instanceof Error ? `\n${e.stack}` : ' (set CUSTOMER_VITALS_DEBUG=1 for the stack)'}\n`,
  );
  return EXIT.data;
}

function formatOf(ctx: Context, formats: readonly Format[]): Format {
  if (ctx.opts.flag('json')) return 'json';
  return ctx.opts.choice('format', formats) ?? 'table';
}

async function run(ctx: Context, positionals: string[]): Promise<number> {
  const { command, opts } = ctx;
  if (positionals.length > 1) {
    throw new UsageError(`one input file expected, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  const file = positionals[0];
  if (command === 'report') return (await import('./commands/report')).reportCommand(ctx, file);
  if (file === undefined) {
    throw new UsageError(`missing the input file (use - for stdin; see customer-vitals ${command} --help)`);
  }
  if (command === 'infer') return (await import('./commands/infer')).inferCommand(ctx, file);
  const { emitResult, FORMATS } = await import('./output');
  // Validate every option value before any data is read.
  const format = formatOf(ctx, FORMATS);
  opts.int('top', 1);
  opts.limit('max-rejected');
  if (command === 'validate') return (await import('./commands/validate')).validateCommand(ctx, file, format);
  opts.date('as-of');
  if (opts.has('horizon')) opts.int('horizon', 1);
  opts.currency('currency');
  const engine = opts.choice('engine', ['js', 'duckdb'] as const);
  if (engine === 'duckdb') return (await import('./engines/duckdbRun')).duckdbRun(ctx, file, format);
  // Started before the data is read, so the command's module loads while the first bytes arrive.
  const analysisModule = (ANALYSES[command] as () => Promise<Analysis>)();
  analysisModule.catch(() => undefined); // awaited below; a failed load is reported there
  const { enforcePolicy, loadEvents, loadProfiles, resolveAsOf } = await import('./load');
  const loaded = await loadEvents(ctx, file);
  await enforcePolicy(ctx, loaded);
  const asOf = resolveAsOf(ctx, loaded.store);
  const profiles = await loadProfiles(ctx);
  ctx.progress.setPhase(command);
  const analysis = await analysisModule;
  const result = analysis({ ctx, store: loaded.store, profiles, asOf });
  // Drop this reference to the store before the output is written: whatever the results still
  // need of it (health's lazily built scores hold their own states), they hold themselves.
  (loaded as { store: unknown }).store = undefined;
  return emitResult(ctx, result, format, {
    source: loaded.input.source,
    format: loaded.input.format,
    ...loaded.stats,
  });
}
