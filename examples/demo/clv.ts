import { type DemoContext, heading } from './context';

/** Demo section for customer-vitals/clv (filled in by the clv module). */
export function run(ctx: DemoContext): void {
  heading(ctx, 'clv');
  ctx.print('(not implemented yet)');
}
