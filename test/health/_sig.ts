import { parseEvents } from '../../src/events/parseEvents';
import { parseProfiles } from '../../src/events/parseProfiles';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { generateSaasEvents } from '../../src/sample/index';
import { computeSignals, rocAuc, HEALTH_SIGNALS } from '../../src/health/index';
const s = generateSaasEvents({ customers: 1000, seed: 42 });
const p = parseEvents(s.events);
const prof = new Map(parseProfiles(s.profiles).profiles.map(x => [x.customerId, x]));
const tl = groupByCustomer(p.events);
const DAY = 86400000;
const rows: { sig: Record<string, number | null>; y: boolean }[] = [];
for (const asOf of ['2024-07-01','2024-10-01','2025-01-01','2025-04-01','2025-07-01','2025-09-01'].map(d => Date.parse(d))) {
  for (const t of tl.values()) {
    if (t.firstTimestamp > asOf) continue;
    const subs = t.events.filter(e => e.timestamp <= asOf && e.type.startsWith('subscription_'));
    if (subs.length && subs[subs.length-1]!.type === 'subscription_cancelled') continue;
    const y = t.ofType('subscription_cancelled').some(e => e.timestamp > asOf && e.timestamp <= asOf + 90*DAY);
    const sig = computeSignals(t, { asOf, profile: prof.get(t.customerId) });
    const sig2 = computeSignals(t, { asOf: asOf - 30*DAY, profile: prof.get(t.customerId) });
    const sig3 = computeSignals(t, { asOf: asOf - 14*DAY, profile: prof.get(t.customerId) });
    sig.act14 = sig.activityEvents !== null && sig3.activityEvents !== null ? sig.activityEvents - sig3.activityEvents : null;
    sig.loginRatio = sig.logins !== null && sig2.logins ? sig.logins / sig2.logins : null;
    sig.loginsPerSeat = sig.logins !== null && sig.seats ? sig.logins / sig.seats : null;
    sig.actPerUser = sig.activityEvents !== null && sig.activeUsers ? sig.activityEvents / sig.activeUsers : null;
    sig.planRisk = ({starter: 1.4, growth: 1, enterprise: 0.6} as any)[prof.get(t.customerId)?.plan ?? ''] ?? null;
    rows.push({ sig, y });
  }
}
console.log('rows', rows.length, rows.filter(r=>r.y).length);
for (const k of Object.keys(rows[0]!.sig)) {
  const sub = rows.filter(r => r.sig[k] !== null);
  const auc = rocAuc(sub.map(r => r.sig[k] as number), sub.map(r => r.y));
  console.log(k.padEnd(24), sub.length, auc?.toFixed(3));
}
