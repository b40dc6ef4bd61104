import { type DemoContext, heading } from './context';

/** Demo section for customer-vitals/health (filled in by the health module). */
export function run(ctx: DemoContext): void {
  heading(ctx, 'health');
  ctx.print('(not implemented yet)');
}
