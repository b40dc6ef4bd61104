/**
 * `customer-vitals validate`: what would be rejected and why. A summary by cause comes first (count,
 * share, an example with its 1-based file line), then the rejected rows (`--top`, default 20);
 * `--rejected FILE` writes every rejected row with its issues (CSV by extension, else NDJSON).
 */
import { extname } from 'node:path';
import type { Context } from '../context';
import { EXIT } from '../io';
import { aboveLimit, type CauseSummary, hintFor, type LocatedRejection, loadEvents } from '../load';
import { type Column, type CommandResult, type Format, resultSink, writeResult } from '../output';
import { type Cell, csvLine, escapeControl, formatTable, jsonText } from '../text';

const rowText = (row: unknown): string => {
  try {
    return typeof row === 'string' ? row : jsonText(row);
  } catch {
    return '(unprintable row)';
  }
};

const COLUMNS: Column<LocatedRejection>[] = [
  { name: 'line', get: (r) => r.line },
  { name: 'codes', get: (r) => r.issues.map((i) => i.code).join('; ') },
  { name: 'fields', get: (r) => r.issues.map((i) => i.path.join('.') || '(row)').join('; ') },
  { name: 'issues', get: (r) => r.issues.map((i) => i.message).join('; ') },
  { name: 'row', get: (r) => rowText(r.row) },
];

/** A writer of every rejected row to `file`: CSV for `.csv`, NDJSON otherwise (in arrival order). */
function rejectedWriter(ctx: Context, file: string) {
  const { sink, close } = resultSink(ctx.io, file);
  const csv = extname(file).toLowerCase() === '.csv';
  let buf = csv ? `${csvLine(COLUMNS.map((c) => c.name))}\r\n` : '';
  let count = 0;
  let pending: Promise<void> = Promise.resolve();
  const flush = () => {
    const text = buf;
    buf = '';
    pending = pending.then(() => sink.write(text));
  };
  return {
    add(r: LocatedRejection) {
      count++;
      buf += csv
        ? `${csvLine(COLUMNS.map((c) => c.get(r)))}\r\n`
        : `${jsonText({ line: r.line, issues: r.issues, row: r.row })}\n`;
      if (buf.length > 65536) flush();
    },
    async close() {
      flush();
      await pending;
      await close();
      await ctx.notice(`${count} rejected rows written to ${file}`);
    },
  };
}

export async function validateCommand(ctx: Context, file: string, format: Format): Promise<number> {
  const top = ctx.opts.int('top', 1);
  const rejectedFile = ctx.opts.string('rejected');
  const writer = rejectedFile === undefined ? undefined : rejectedWriter(ctx, rejectedFile);
  // Rows kept in memory: those shown (the full list goes to --rejected, streamed).
  const keep = top ?? (format === 'table' ? 20 : 1000);
  const loaded = await loadEvents(ctx, file, {
    keep,
    storeEvents: false,
    ...(writer ? { onRejection: (r) => writer.add(r) } : {}),
  });
  await writer?.close();
  const { stats, rejections, input, causes } = loaded;
  const summary =
    `${input.source}: ${stats.received} rows, ${stats.accepted} accepted, ${stats.rejected} rejected ` +
    `(${stats.duplicates} duplicates), ${stats.unknownTypes} of unknown type`;
  const { sink, close } = resultSink(ctx.io, ctx.opts.string('out'));
  if (format === 'table') {
    const n = top ?? 20;
    let text = `${escapeControl(summary)}\n`;
    if (causes.length > 0) {
      text += '\nRejected rows by cause:\n';
      text += `${formatTable(
        ['cause', 'field', 'rows', 'share', 'example'],
        causes.map((c): Cell[] => [
          c.code,
          c.path || '(row)',
          c.count,
          `${(100 * c.share).toFixed(1)}%`,
          `line ${c.example.line}: ${c.example.message}`,
        ]),
      )}\n`;
      text += `\nRejected rows (${Math.min(n, stats.rejected)} of ${stats.rejected}, file line numbers):\n`;
      for (const r of rejections.slice(0, n)) {
        text += `  line ${r.line}: ${escapeControl(r.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; '))}\n`;
      }
      if (stats.rejected > n) {
        text += `  ... and ${stats.rejected - n} more (--top N to show more, --rejected FILE for all)\n`;
      }
    }
    await sink.write(text);
  } else {
    const result: CommandResult<LocatedRejection> = {
      title: summary,
      items: rejections,
      columns: COLUMNS,
      meta: {
        stats,
        causes,
        delimiter: input.delimiter ?? null,
        rowsShown: `the first ${rejections.length} rejected rows by line (--top N for more, --rejected FILE for every row)`,
      },
      warnings: [],
    };
    await writeResult(result, format, sink, ctx.io, {
      command: 'validate',
      top,
      input: { source: input.source, format: input.format },
    });
  }
  await close();
  if (stats.accepted === 0 && stats.received > 0) {
    const c = causes[0] as CauseSummary;
    await ctx.io.stderr.write(
      `customer-vitals validate: no row accepted. Top cause: ${c.code}${c.path ? ` at ${c.path}` : ''} ` +
        `(${c.count} rows). To fix: ${hintFor(c.code, c.path, input, c.example.message)}\n`,
    );
    return EXIT.data;
  }
  if (stats.received === 0) {
    await ctx.io.stderr.write(`customer-vitals validate: ${input.source} has no rows\n`);
    return EXIT.data;
  }
  return aboveLimit(ctx, stats.rejected, stats.received) ? EXIT.data : EXIT.ok;
}
