/**
 * The `customer-vitals` command line: run the library on a CSV/JSON/NDJSON export.
 * This is the only part of the package that uses Node APIs. `index.ts` is the executable entry.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { toEpochMs } from '../_lib/time';
import { parseEvents } from '../events/parseEvents';
import { parseProfiles } from '../events/parseProfiles';
import {
  type CommandInput,
  type CommandOutput,
  churnCommand,
  clvCommand,
  healthCommand,
  metricsCommand,
  segmentCommand,
} from './commands';
import { readRows } from './readRows';

const HELP = `customer-vitals <command> <events file> [options]

Commands:
  validate   validate an export and list rejected rows (exit code 1 when any row is rejected)
  health     health score per customer (default scorecard), lowest first, with the top driver
  churn      churn risk over --horizon days, highest first, with the main reason
  clv        12-month customer lifetime value (Pareto/NBD + Gamma-Gamma, or a stated fallback)
  segment    RFM segments (11 standard segments)
  metrics    KPI summary of the last 90 days (NPS, support, MRR movements, NRR)

Options:
  --mapping FILE    JSON: { "fields": { "customerId": "user_id", ... }, "types": { "Order Completed": "purchase" } }
  --profiles FILE   customer profiles (CSV/JSON/NDJSON): customerId, signupDate, plan, mrr, seats, ...
  --as-of DATE      the "today" of the analysis (ISO date); default: the latest event in the file
  --horizon DAYS    churn horizon in days (default 30)
  --top N           rows to print (default 20)
  --json            print the full results as JSON instead of a table
  -h, --help        this text

Files: .csv (header row; columns like properties.feature become nested), .json (array), .ndjson.`;

const COMMANDS: Record<string, (input: CommandInput) => CommandOutput> = {
  health: healthCommand,
  churn: churnCommand,
  clv: clvCommand,
  segment: segmentCommand,
  metrics: metricsCommand,
};

/** Runs the CLI with the given arguments; returns the exit code. */
export function main(argv: string[], out: (line: string) => void = console.log): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mapping: { type: 'string' },
      profiles: { type: 'string' },
      'as-of': { type: 'string' },
      horizon: { type: 'string', default: '30' },
      top: { type: 'string', default: '20' },
      json: { type: 'boolean', default: false },
      'max-rejected': { type: 'string', default: '20' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, file] = positionals;
  if (values.help || !command) {
    out(HELP);
    return command || values.help ? 0 : 2;
  }
  if (command !== 'validate' && !(command in COMMANDS)) {
    console.error(`customer-vitals: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  if (!file) {
    console.error(`customer-vitals ${command}: missing the events file\n\n${HELP}`);
    return 2;
  }
  const mapping = values.mapping ? JSON.parse(readFileSync(values.mapping, 'utf8')) : undefined;
  const parsed = parseEvents(readRows(file), { mapping });
  const s = parsed.stats;
  const summary = `${file}: ${s.received} rows, ${s.accepted} accepted, ${s.rejected} rejected (${s.duplicates} duplicates), ${s.unknownTypes} of unknown type`;

  if (command === 'validate') {
    const max = Number(values['max-rejected']);
    if (values.json) {
      out(
        JSON.stringify(
          { stats: { ...s, byType: Object.fromEntries(s.byType) }, rejected: parsed.rejected.slice(0, max) },
          null,
          2,
        ),
      );
    } else {
      out(summary);
      for (const r of parsed.rejected.slice(0, max)) {
        out(
          `  row ${r.index}: ${r.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; ')}`,
        );
      }
      if (parsed.rejected.length > max) out(`  ... and ${parsed.rejected.length - max} more`);
    }
    return s.rejected > 0 ? 1 : 0;
  }

  if (parsed.events.length === 0) {
    console.error(`customer-vitals ${command}: no valid events in ${file} (run "validate" to see why)`);
    return 1;
  }
  let asOf: number;
  if (values['as-of'] !== undefined) {
    const t = toEpochMs(values['as-of']);
    if (t === null) {
      console.error(`customer-vitals ${command}: --as-of "${values['as-of']}" is not a valid date`);
      return 2;
    }
    asOf = t;
  } else {
    asOf = parsed.events.reduce((m, e) => Math.max(m, e.timestamp), Number.NEGATIVE_INFINITY) + 1;
  }
  const profiles = values.profiles ? parseProfiles(readRows(values.profiles)).profiles : [];
  const result = (COMMANDS[command] as (input: CommandInput) => CommandOutput)({
    events: parsed.events,
    profiles,
    asOf,
    top: Number(values.top),
    horizonDays: Number(values.horizon),
  });
  if (values.json) {
    out(JSON.stringify(result.json, null, 2));
    return 0;
  }
  if (s.rejected > 0) out(`(${summary}; run "validate" for the reasons)`);
  out(result.title);
  out(formatTable(result.header, result.rows));
  return 0;
}

function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.min(60, Math.max(...cells.map((r) => (r[i] ?? '').length))));
  const fmt = (r: string[]) =>
    r
      .map((c, i) =>
        i === r.length - 1
          ? c
          : c.length > (widths[i] ?? 0)
            ? `${c.slice(0, (widths[i] ?? 1) - 1)}…`
            : c.padEnd(widths[i] ?? 0),
      )
      .join('  ');
  return [
    fmt(header),
    fmt(header.map((_, i) => '-'.repeat(widths[i] ?? 0))),
    ...rows.map((r) => fmt(r.map(String))),
  ].join('\n');
}
