import { parseEvents } from '../../src/events/parseEvents';
import { parseProfiles } from '../../src/events/parseProfiles';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { generateSaasEvents } from '../../src/sample/index';
import { evaluateHealth, defaultScorecard } from '../../src/health/index';
import type { Scorecard } from '../../src/health/index';
const s = generateSaasEvents({ customers: 1000, seed: Number(process.argv[2] ?? 42) });
const p = parseEvents(s.events);
const prof = parseProfiles(s.profiles).profiles;
const tl = groupByCustomer(p.events);
const snaps = ['2024-07-01','2024-10-01','2025-01-01','2025-04-01','2025-07-01','2025-09-01'];
const clone = (): Scorecard => JSON.parse(JSON.stringify(defaultScorecard));
const variants: Record<string, (c: Scorecard) => void> = {
  base: () => {},
  actPct: (c) => { const g = c.groups[0]!; g.measures!.push({ id: 'actLevel', signal: 'activityEvents', days: 30, weight: 14, curve: { type: 'percentile' } }); },
  actPctFB: (c) => { const g = c.groups[0]!; g.measures!.push({ id: 'actLevel', signal: 'activityEvents', days: 30, weight: 14, curve: { type: 'percentile' } }); g.measures!.find(m=>m.id==='featureBreadth')!.curve = { type: 'linear', worst: 1, best: 9 }; g.measures!.find(m=>m.id==='featureBreadth')!.weight = 10; },
  fbLin: (c) => { const g = c.groups[0]!; const m = g.measures!.find(m=>m.id==='featureBreadth')!; m.curve = { type: 'linear', worst: 1, best: 9 }; m.weight = 10; },
  noTickets: (c) => { c.groups[1]!.weight = 5; },
};
for (const [name, f] of Object.entries(variants)) {
  const c = clone(); f(c);
  const ev = evaluateHealth(tl, { asOf: snaps, horizon: 90, profiles: prof, scorecard: c });
  console.log(name.padEnd(12), ev.auc?.toFixed(4), ev.lowestDecile.lift?.toFixed(2));
}
