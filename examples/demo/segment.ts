import { type DemoContext, heading } from './context';

/** Demo section for customer-vitals/segment (filled in by the segment module). */
export function run(ctx: DemoContext): void {
  heading(ctx, 'segment');
  ctx.print('(not implemented yet)');
}
