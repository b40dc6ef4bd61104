/**
 * Every command's options, help text and examples (one place, so `--help` and the parser agree).
 */
import type { OptionSpec } from './args';

/** A command of the CLI. */
export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  description: string;
  options: OptionSpec[];
  examples: string[];
}

const help: OptionSpec = { name: 'help', short: 'h', type: 'boolean', help: 'this text' };
const quiet: OptionSpec = {
  name: 'quiet',
  short: 'q',
  type: 'boolean',
  help: 'no notices or progress on stderr (warnings and errors still shown)',
};
const mapping: OptionSpec = {
  name: 'mapping',
  type: 'string',
  arg: 'FILE',
  help: 'JSON mapping of your columns and event types, e.g. { "fields": { "customerId": "user_id" }, "types": { "Order Completed": "purchase" } }',
};
const delimiter: OptionSpec = {
  name: 'delimiter',
  type: 'string',
  arg: 'CHAR',
  help: 'CSV delimiter: , ; tab | or whitespace (runs of spaces; default: detected from the header)',
};
const profiles: OptionSpec = {
  name: 'profiles',
  type: 'string',
  arg: 'FILE',
  help: 'customer profiles (CSV/JSON/NDJSON): customerId, signupDate, plan, mrr, seats, ...',
};
const asOf: OptionSpec = {
  name: 'as-of',
  type: 'string',
  arg: 'DATE',
  help: 'the "today" of the analysis (ISO date); default: just after the latest event',
};
const top: OptionSpec = {
  name: 'top',
  type: 'string',
  arg: 'N',
  help: 'rows to show (default 20 in a table; every row in json/ndjson/csv unless given)',
};
const format: OptionSpec = {
  name: 'format',
  type: 'string',
  arg: 'FMT',
  help: 'table (default), json (full typed result with schemaVersion), ndjson (one result per line), csv (flat)',
};
const json: OptionSpec = { name: 'json', type: 'boolean', help: 'same as --format json' };
const out: OptionSpec = {
  name: 'out',
  short: 'o',
  type: 'string',
  arg: 'FILE',
  help: 'write the results to FILE instead of stdout',
};
const maxRejected = (def: string): OptionSpec => ({
  name: 'max-rejected',
  type: 'string',
  arg: 'N|P%',
  help: `rejected rows tolerated before exiting 1, as a count or a share of rows (default ${def})`,
  default: def,
});
const currency: OptionSpec = {
  name: 'currency',
  type: 'string',
  arg: 'CODE',
  help: 'ISO 4217 code for money in sentences (e.g. EUR); default: plain numbers, no currency symbol',
};
const engine: OptionSpec = {
  name: 'engine',
  type: 'string',
  arg: 'NAME',
  help: 'js (default, in memory) or duckdb (files bigger than memory; needs @duckdb/node-api installed)',
};

const analysis = (extra: OptionSpec[] = []): OptionSpec[] => [
  mapping,
  profiles,
  asOf,
  ...extra,
  top,
  format,
  json,
  out,
  maxRejected('5%'),
  delimiter,
  quiet,
  help,
];

/** The commands, in help order. */
export const COMMANDS: CommandSpec[] = [
  {
    name: 'validate',
    summary: 'check an export: rejected rows summarised by cause, with file line numbers',
    usage: 'customer-vitals validate FILE [options]',
    description:
      'Reads every row, applies the mapping and reports what would be rejected: first a summary by cause\n' +
      '(count, share of rows, one example with its 1-based line in the file), then the rejected rows.\n' +
      'Exit code 1 when more rows are rejected than --max-rejected allows (default 0) or none is accepted.',
    options: [
      mapping,
      delimiter,
      top,
      {
        name: 'rejected',
        type: 'string',
        arg: 'FILE',
        help: 'write every rejected row with its issues to FILE (.csv for CSV, else NDJSON)',
      },
      maxRejected('0'),
      format,
      json,
      out,
      quiet,
      help,
    ],
    examples: [
      'customer-vitals validate events.csv --mapping mapping.json',
      'customer-vitals validate events.ndjson --rejected rejected.csv --top 50',
      'cat events.ndjson | customer-vitals validate - --json',
    ],
  },
  {
    name: 'infer',
    summary: 'propose a mapping for an export, with a reason per choice (never applied silently)',
    usage: 'customer-vitals infer FILE [options]',
    description:
      'Reads the first rows of FILE and prints a mapping draft: which column looks like the customer id,\n' +
      'the timestamp (and its format, with the evidence), an amount, an event type, placeholder ids seen.\n' +
      'Review it, save it, and pass it with --mapping.',
    options: [
      delimiter,
      { name: 'rows', type: 'string', arg: 'N', help: 'rows to inspect (default 5000)', default: '5000' },
      {
        name: 'format',
        type: 'string',
        arg: 'FMT',
        help: 'text (default: draft and reasons) or json (the draft only)',
      },
      json,
      out,
      quiet,
      help,
    ],
    examples: [
      'customer-vitals infer online_retail.csv',
      'customer-vitals infer online_retail.csv --json -o mapping.json',
    ],
  },
  {
    name: 'health',
    summary: 'health score per customer, lowest first, with coverage and the top driver',
    usage: 'customer-vitals health FILE [options]',
    description: 'Scores every customer with the default scorecard as of --as-of.',
    options: analysis([engine]),
    examples: [
      'customer-vitals health events.ndjson --profiles profiles.csv --as-of 2025-06-30',
      'customer-vitals health events.csv --mapping mapping.json --format csv -o health.csv',
    ],
  },
  {
    name: 'churn',
    summary: 'churn risk over --horizon days, highest first, with the main reasons',
    usage: 'customer-vitals churn FILE [options]',
    description:
      'Trains a logistic model on the three previous horizon-long windows and scores active customers.',
    options: analysis([
      engine,
      {
        name: 'horizon',
        type: 'string',
        arg: 'DAYS',
        help: 'churn horizon in days (default 30)',
        default: '30',
      },
    ]),
    examples: ['customer-vitals churn events.ndjson --profiles profiles.csv --horizon 60 --top 10'],
  },
  {
    name: 'clv',
    summary: '12-month customer lifetime value (Pareto/NBD + Gamma-Gamma, or a stated fallback)',
    usage: 'customer-vitals clv FILE [options]',
    description: 'Estimates each customer’s value over the next 12 months from purchase events.',
    options: analysis([currency, engine]),
    examples: [
      'customer-vitals clv orders.csv --mapping mapping.json --as-of 2011-12-10',
      'customer-vitals clv orders.csv --mapping mapping.json --currency GBP --format csv -o clv.csv',
    ],
  },
  {
    name: 'segment',
    summary: 'RFM segments with each customer’s R, F, M values, scores and reason',
    usage: 'customer-vitals segment FILE [options]',
    description:
      'Scores recency, frequency and monetary value 1-5 and names the standard segment. The table\n' +
      'shows segment sizes; json/ndjson/csv give one row per customer in customer-id order.',
    options: analysis([currency, engine]),
    examples: [
      'customer-vitals segment orders.ndjson --format csv -o segments.csv',
      'customer-vitals segment orders.parquet --engine duckdb --as-of 2025-06-30 --format ndjson',
    ],
  },
  {
    name: 'metrics',
    summary: 'KPI summary of the last 90 days (NPS, support, MRR movements, NRR)',
    usage: 'customer-vitals metrics FILE [options]',
    description: 'KPIs over the 90 days before --as-of, for the sources the data holds.',
    options: analysis(),
    examples: ['customer-vitals metrics events.ndjson --as-of 2025-06-30 --json'],
  },
  {
    name: 'report',
    summary: 'one self-contained HTML report (charts, customer table, drivers), no network needed',
    usage:
      'customer-vitals report FILE -o report.html [options]\n       customer-vitals report --sample saas|retail -o report.html',
    description:
      'Writes one .html file with inline CSS, JavaScript and data: no request to any server, opens offline.\n' +
      'Each section appears only when the data supports it; otherwise the report says why.',
    options: [
      mapping,
      profiles,
      asOf,
      {
        name: 'sample',
        type: 'string',
        arg: 'KIND',
        help: 'use a generated sample instead of FILE: saas or retail',
      },
      { ...out, help: 'the HTML file to write (default: stdout)' },
      {
        name: 'pseudonymise',
        type: 'boolean',
        help: 'replace customer ids by a keyed hash (HMAC-SHA-256; key from CUSTOMER_VITALS_PSEUDONYM_KEY, else random)',
      },
      { name: 'title', type: 'string', arg: 'TEXT', help: 'report title' },
      {
        name: 'horizon',
        type: 'string',
        arg: 'DAYS',
        help: 'churn horizon of the churn-model section in days (default 30)',
      },
      maxRejected('5%'),
      delimiter,
      quiet,
      help,
    ],
    examples: [
      'customer-vitals report --sample saas -o report.html',
      'customer-vitals report events.ndjson --profiles profiles.csv -o report.html --pseudonymise',
    ],
  },
];

/** Finds a command by name. */
export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function optionLines(options: OptionSpec[]): string {
  const left = options.map(
    (o) => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.arg ? ` ${o.arg}` : ''}`,
  );
  const w = Math.max(...left.map((l) => l.length)) + 2;
  return options.map((o, i) => `  ${(left[i] as string).padEnd(w)}${o.help}`).join('\n');
}

const EXIT_TEXT = `Exit codes:
  0  success
  1  data problem: more rejected rows than --max-rejected, no accepted row, or an empty result
  2  usage problem: unknown command or option, bad option value, unreadable file or mapping`;

const IO_TEXT = `Input: FILE is .csv (header row; .tsv and whitespace-aligned .txt too), .json (array) or .ndjson; "-" reads stdin (format sniffed).
Output: results on stdout (or --out); notices, warnings and progress on stderr. NO_COLOR is honoured.`;

/** Help of one command. */
export function commandHelp(spec: CommandSpec): string {
  return `${spec.usage}

${spec.summary}

${spec.description}

Options:
${optionLines(spec.options)}

Examples:
${spec.examples.map((e) => `  ${e}`).join('\n')}

${IO_TEXT}

${EXIT_TEXT}
`;
}

/** The global help. */
export function globalHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `customer-vitals <command> FILE [options]

Customer-success analytics from an event export: health, churn, CLV, segments, KPIs, and a report.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(w)}${c.summary}`).join('\n')}

Global options:
  -h, --help      help (also: customer-vitals <command> --help)
  -V, --version   print the version

Examples:
  customer-vitals validate events.csv --mapping mapping.json
  customer-vitals health events.ndjson --as-of 2025-06-30 --top 10
  customer-vitals report --sample saas -o report.html

${IO_TEXT}

${EXIT_TEXT}
`;
}
