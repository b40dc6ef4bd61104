import { createRng } from '../src/_lib/random';
import type { CustomerEvent } from '../src/events/types';
import { rfmScores } from '../src/segment/rfmScores';
const DAY = 86_400_000;
const asOf = Date.UTC(2025, 0, 1);
const rng = createRng('bench-rfm');
const events: CustomerEvent[] = [];
for (let c = 0; c < 1_000_000; c++) {
  const id = `c${c}`;
  const k = 1 + Math.floor(rng.next() * rng.next() * 5);
  for (let j = 0; j < k; j++) events.push({ customerId: id, type: 'purchase', timestamp: asOf - Math.floor(rng.next() * 730) * DAY, value: 5 });
}
for (let r = 0; r < 2; r++) { const t = performance.now(); rfmScores(events, { asOf }); console.log('rfm', performance.now() - t); }
const t0 = performance.now(); const m = new Map<string, number>(); for (const e of events) { const i = m.get(e.customerId); if (i === undefined) m.set(e.customerId, m.size); } console.log('map only', performance.now() - t0);
const t1 = performance.now(); const a = new Float64Array(1e6); for (let i=0;i<1e6;i++) a[i]=rng.next(); a.sort(); console.log('sort', performance.now() - t1);
