/**
 * `customer-vitals infer`: reads the first rows of a file and prints a mapping draft with a reason
 * per choice (`inferMapping`). Text: the draft as JSON, then the reasons and open questions, on
 * stdout. `--json`: the draft only, ready to save and pass with --mapping. Never applied silently.
 */
import { inferMapping } from '../../events/inferMapping';
import type { Context } from '../context';
import { delimiterName, readInput } from '../input';
import { EXIT } from '../io';
import { readDelimiter } from '../load';
import { resultSink } from '../output';
import { escapeControl } from '../text';

export async function inferCommand(ctx: Context, file: string): Promise<number> {
  const { opts } = ctx;
  const rows = opts.int('rows', 1) ?? 5000;
  const format = opts.flag('json') ? 'json' : (opts.choice('format', ['text', 'json'] as const) ?? 'text');
  const input = await readInput(file, ctx.io, { delimiter: readDelimiter(ctx), progress: ctx.progress });
  if (input.rows.length === 0) {
    await ctx.io.stderr.write(`customer-vitals infer: ${input.source} has no rows to examine\n`);
    return EXIT.data;
  }
  const draft = inferMapping(input.rows, {
    sampleSize: rows,
    ...(input.columns ? { columns: input.columns } : {}),
  });
  const { sink, close } = resultSink(ctx.io, opts.string('out'));
  const json = `${JSON.stringify(draft.mapping, null, 2)}\n`;
  if (format === 'json') {
    await sink.write(json);
  } else {
    let text = `Mapping draft for ${input.source} (${draft.rowsExamined} rows examined${input.delimiter ? `, delimiter ${delimiterName(input.delimiter)}` : ''}):\n\n${json}\nWhy:\n`;
    for (const r of draft.reasons) text += `  ${r.path}: ${escapeControl(r.reason)}\n`;
    if (draft.warnings.length) {
      text += '\nTo decide:\n';
      for (const w of draft.warnings) text += `  [${w.code}] ${escapeControl(w.message)}\n`;
    }
    text += `\nReview it, save the JSON (customer-vitals infer ${file} --json -o mapping.json), then run:\n  customer-vitals validate ${file} --mapping mapping.json\n`;
    await sink.write(text);
  }
  await close();
  if (format === 'json') for (const w of draft.warnings) await ctx.warn(w);
  return EXIT.ok;
}
