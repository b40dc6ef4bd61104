import { groupEvents } from '../src/health/groupEvents';
import { compileScorecards } from '../src/health/compileScorecard';
import { computeStates } from '../src/health/scoreEngine';
import { defaultScorecard } from '../src/health/defaultScorecard';
import { buildSignalPlan, runSignalPass } from '../src/health/computeSignals';
import type { Scorecard } from '../src/health/index';
const { gen } = await import('./_hgen');
const events = gen();
const tl = groupEvents(events);
const asOf = Date.UTC(2025, 6, 1);
const c: Scorecard = { id: 'x', groups: [{ id: 'g', weight: 1, measures: [{ id: 'm', signal: 'openTickets', weight: 1, curve: { type: 'linear', worst: 0, best: 1 } }] }] };
for (const [name, card] of [['open', c], ['default', defaultScorecard]] as const) {
  const set = compileScorecards(card, undefined, 'x');
  for (let rep = 0; rep < 2; rep++) {
    let t = performance.now();
    const v = new Float64Array(40), a = new Float64Array(40);
    const plan = set.fallback.plan;
    for (let r = 0; r < tl.ids.length; r++) runSignalPass(plan, tl.events, tl.offsets[r]!, tl.offsets[r + 1]!, undefined, asOf, v, a, 0);
    console.log(name, 'pass only', (performance.now() - t).toFixed(0));
    t = performance.now();
    computeStates(tl, new Map(), set, asOf);
    console.log(name, 'states', (performance.now() - t).toFixed(0));
  }
}
