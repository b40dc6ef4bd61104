import { groupEvents } from '../src/health/groupEvents';
import { compileScorecards } from '../src/health/compileScorecard';
import { computeStates } from '../src/health/scoreEngine';
import type { Scorecard } from '../src/health/index';
const { gen } = await import('./_hgen');
const events = gen();
const tl = groupEvents(events);
const c: Scorecard = { id: 'x', groups: [{ id: 'g', weight: 1, measures: [{ id: 'm', signal: process.argv[2] ?? 'openTickets', weight: 1, curve: { type: 'linear', worst: 0, best: 1 } }] }] };
const set = compileScorecards(c, undefined, 'x');
for (let rep = 0; rep < 8; rep++) {
  const t = performance.now();
  computeStates(tl, new Map(), set, Date.UTC(2025, 6, 1));
  console.log(rep, (performance.now() - t).toFixed(0));
}
