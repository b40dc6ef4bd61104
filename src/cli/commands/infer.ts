/** `customer-vitals infer`: a mapping draft with a reason per choice. */
import type { Context } from '../context';
import { EXIT } from '../io';

export async function inferCommand(ctx: Context, _file: string): Promise<number> {
  await ctx.io.stderr.write('customer-vitals infer: not implemented yet\n');
  return EXIT.data;
}
