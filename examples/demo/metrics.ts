import { type DemoContext, heading } from './context';

/** Demo section for customer-vitals/metrics (filled in by the metrics module). */
export function run(ctx: DemoContext): void {
  heading(ctx, 'metrics');
  ctx.print('(not implemented yet)');
}
