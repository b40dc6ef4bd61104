/**
 * The `customer-vitals` command line: run the library on a CSV/JSON/NDJSON export.
 * This is the only part of the package that uses Node APIs.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseEvents } from '../events/parseEvents';
import { readRows } from './readRows';

const HELP = `customer-vitals <command> <events file> [options]

Commands:
  validate   validate an export and report rejected rows

Options:
  --mapping FILE   JSON file: { "fields": { "customerId": "user_id", ... }, "types": { "Order Completed": "purchase" } }
  --json           print machine-readable JSON instead of text
  --max-rejected N how many rejected rows to list (default 20)
  -h, --help       this text

Files: .csv (header row; columns like properties.feature become nested), .json (array), .ndjson.`;

export function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mapping: { type: 'string' },
      json: { type: 'boolean', default: false },
      'max-rejected': { type: 'string', default: '20' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, file] = positionals;
  if (values.help || !command) {
    console.log(HELP);
    return command || values.help ? 0 : 2;
  }
  if (!file) {
    console.error(`customer-vitals ${command}: missing the events file\n\n${HELP}`);
    return 2;
  }
  const mapping = values.mapping ? JSON.parse(readFileSync(values.mapping, 'utf8')) : undefined;
  const rows = readRows(file);
  const parsed = parseEvents(rows, { mapping });
  switch (command) {
    case 'validate': {
      const max = Number(values['max-rejected']);
      if (values.json) {
        console.log(
          JSON.stringify(
            {
              stats: { ...parsed.stats, byType: Object.fromEntries(parsed.stats.byType) },
              rejected: parsed.rejected.slice(0, max),
            },
            null,
            2,
          ),
        );
      } else {
        const s = parsed.stats;
        console.log(
          `${file}: ${s.received} rows, ${s.accepted} accepted, ${s.rejected} rejected (${s.duplicates} duplicates), ${s.unknownTypes} of unknown type`,
        );
        for (const r of parsed.rejected.slice(0, max)) {
          // Row numbers as a spreadsheet shows them: header is line 1 for CSV.
          console.log(
            `  row ${r.index}: ${r.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; ')}`,
          );
        }
        if (parsed.rejected.length > max) console.log(`  ... and ${parsed.rejected.length - max} more`);
      }
      return parsed.stats.rejected > 0 ? 1 : 0;
    }
    default:
      console.error(`customer-vitals: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
