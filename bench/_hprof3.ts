import { groupEvents } from '../src/health/groupEvents';
import { buildSignalPlan, runSignalPass } from '../src/health/computeSignals';
const { gen } = await import('./_hgen');
const events = gen();
const g = groupEvents(events);
const asOf = Date.UTC(2025, 6, 1);
const v = new Float64Array(4), a = new Float64Array(4);
for (const [name, req] of [['open', [{ code: 10, days: 0 }]], ['act30', [{ code: 2, days: 30 }]], ['act180', [{ code: 2, days: 180 }]], ['open', [{ code: 10, days: 0 }]]] as const) {
  const plan = buildSignalPlan(req as any);
  for (let rep = 0; rep < 3; rep++) {
    const t = performance.now();
    for (let r = 0; r < g.ids.length; r++) runSignalPass(plan, g.events, g.offsets[r]!, g.offsets[r + 1]!, undefined, asOf, v, a, 0);
    console.log(name, rep, (performance.now() - t).toFixed(1));
  }
}
let t = performance.now(); let x = 0;
for (let i = 0; i < g.events.length; i++) { const e = g.events[i]!; if (e.type === 'login') x += e.timestamp; }
console.log('raw', (performance.now() - t).toFixed(1), x > 0);
