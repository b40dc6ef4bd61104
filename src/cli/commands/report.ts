/** `customer-vitals report`: one self-contained HTML report. */
import type { Context } from '../context';
import { EXIT } from '../io';

export async function reportCommand(ctx: Context, _file: string | undefined): Promise<number> {
  await ctx.io.stderr.write('customer-vitals report: not implemented yet\n');
  return EXIT.data;
}
