import { groupEvents } from '../src/health/groupEvents';
import { compileScorecards } from '../src/health/compileScorecard';
import { computeStates } from '../src/health/scoreEngine';
import type { Scorecard } from '../src/health/index';
const { gen } = await import('./_hgen');
const events = gen();
const tl = groupEvents(events);
const one = (signal: string, days?: number, curve: any = { type: 'linear', worst: 0, best: 1 }): Scorecard => ({ id: 'x', groups: [{ id: 'g', weight: 1, measures: [{ id: 'm', signal, weight: 1, curve, ...(days ? { days } : {}) }] }] });
const cases: Record<string, Scorecard> = {
  openTickets: one('openTickets'),
  activity30: one('activityEvents', 30),
  activity180: one('activityEvents', 180),
  users90: one('activityPerUser', 90),
  breadth30: one('featureBreadth', 30),
  slope90: one('usageSlope', 90),
  loginsBaseline: one('logins', 30, { type: 'baseline', worst: -60, best: 10 }),
  pct: one('activityEvents', 14, { type: 'percentile' }),
};
for (let rep = 0; rep < 2; rep++) for (const [name, c] of Object.entries(cases)) {
  const set = compileScorecards(c, undefined, 'x');
  const t = performance.now();
  computeStates(tl, new Map(), set, Date.UTC(2025, 6, 1));
  if (rep) console.log(name.padEnd(16), (performance.now() - t).toFixed(0));
}
