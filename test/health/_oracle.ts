import { generateSaasEvents } from '../../src/sample/index';
import { rocAuc } from '../../src/health/index';
const s = generateSaasEvents({ customers: 1000, seed: 42 });
const DAY = 86400000;
const rows: { risk: number; dec: number; e: number; y: boolean }[] = [];
for (const asOf of ['2024-07-01','2024-10-01','2025-01-01','2025-04-01','2025-07-01','2025-09-01'].map(d => Date.parse(d))) {
  for (const t of s.truth) {
    if (t.signupAt > asOf) continue;
    const cancelledBefore = t.cancellations.some(c => c <= asOf) && !(t.reactivatedAt !== null && t.reactivatedAt <= asOf);
    if (cancelledBefore) continue;
    const y = t.cancellations.some(c => c > asOf && c <= asOf + 90 * DAY);
    const dec = t.declineStartedAt !== null && t.declineStartedAt <= asOf && (t.churnedAt ?? 0) > asOf ? (asOf - t.declineStartedAt) / DAY : -1;
    rows.push({ risk: t.risk, dec, e: t.engagement, y });
  }
}
console.log(rows.length, rows.filter(r => r.y).length);
console.log('risk only', 1 - rocAuc(rows.map(r => r.risk), rows.map(r => r.y))!);
console.log('engagement only', rocAuc(rows.map(r => r.e), rows.map(r => r.y))!);
console.log('oracle', rocAuc(rows.map(r => r.dec >= 0 ? -1 - r.dec : -r.risk), rows.map(r => r.y))!);
console.log('oracle dec>14', rocAuc(rows.map(r => r.dec >= 14 ? -1 - r.dec : -r.risk), rows.map(r => r.y))!);
