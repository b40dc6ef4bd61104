import type { ParseEventsResult } from '../../src/events/parseEvents';
import type { CustomerProfile, CustomerTimelines } from '../../src/events/types';
import type { RetailSample, SaasSample } from '../../src/sample/index';

/** What every demo section receives: one generated SaaS sample and one retail sample, parsed. */
export interface DemoContext {
  saas: SaasSample;
  parsed: ParseEventsResult;
  profiles: CustomerProfile[];
  timelines: CustomerTimelines;
  /** The "today" of the demo: the end of the generated range. */
  asOf: number;
  retail: RetailSample;
  retailParsed: ParseEventsResult;
  /** Write a line of output. */
  print: (line?: string) => void;
}

export function heading(ctx: DemoContext, title: string): void {
  ctx.print('');
  ctx.print(`== ${title} ${'='.repeat(Math.max(0, 70 - title.length))}`);
}
