import { parseEvents } from '../../src/events/parseEvents';
import { parseProfiles } from '../../src/events/parseProfiles';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { generateSaasEvents } from '../../src/sample/index';
import { evaluateHealth, suggestWeights } from '../../src/health/index';
let t = performance.now();
const s = generateSaasEvents({ customers: Number(process.argv[2] ?? 1000), seed: 42 });
console.log('gen', s.events.length, (performance.now() - t).toFixed(0)); t = performance.now();
const p = parseEvents(s.events);
const prof = parseProfiles(s.profiles).profiles;
console.log('parse', p.events.length, p.rejected.length, (performance.now() - t).toFixed(0)); t = performance.now();
const tl = groupByCustomer(p.events);
console.log('group', (performance.now() - t).toFixed(0)); t = performance.now();
for (const asOf of ['2024-07-01', '2025-01-01', '2025-06-01', '2025-09-01']) {
  const ev = evaluateHealth(tl, { asOf, horizon: 90, profiles: prof });
  console.log(asOf, ev.n, ev.churned, ev.auc?.toFixed(3), ev.lowestDecile.lift?.toFixed(2), ev.bands.map(b=>`${b.band}:${b.n}/${b.churnRate?.toFixed(3)}`).join(' '));
}
console.log('eval', (performance.now() - t).toFixed(0)); t = performance.now();
const snaps = ['2024-07-01','2024-10-01','2025-01-01','2025-04-01','2025-07-01','2025-09-01'];
const ev = evaluateHealth(tl, { asOf: snaps, horizon: 90, profiles: prof });
console.log('pooled', ev.n, ev.churned, ev.auc);
const sw = suggestWeights(tl, { asOf: snaps, horizon: 90, profiles: prof });
console.log(sw.auc, sw.trainAuc, sw.n, sw.iterations);
console.log(sw.weights.map(w => `${w.measure} ${(w.before*100).toFixed(1)}→${(w.after*100).toFixed(1)}`).join('\n'));
console.log('sw', (performance.now() - t).toFixed(0));
