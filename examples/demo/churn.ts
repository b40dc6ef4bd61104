import { type DemoContext, heading } from './context';

/** Demo section for customer-vitals/churn (filled in by the churn module). */
export function run(ctx: DemoContext): void {
  heading(ctx, 'churn');
  ctx.print('(not implemented yet)');
}
