import { parseEvents } from '../../src/events/parseEvents';
import { parseProfiles } from '../../src/events/parseProfiles';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { generateSaasEvents } from '../../src/sample/index';
import { evaluateHealth, suggestWeights } from '../../src/health/index';
import type { Scorecard, HealthMeasure } from '../../src/health/index';
const s = generateSaasEvents({ customers: Number(process.argv[3] ?? 1000), seed: Number(process.argv[2] ?? 42) });
const p = parseEvents(s.events);
const prof = parseProfiles(s.profiles).profiles;
const tl = groupByCustomer(p.events);
const snaps = ['2024-07-01','2024-10-01','2025-01-01','2025-04-01','2025-07-01','2025-09-01'];
const M = (id: string, signal: string, weight: number, curve: HealthMeasure['curve'], days?: number): HealthMeasure => ({ id, signal, weight, curve, ...(days ? { days } : {}) });
const make = (w: Record<string, number>, seg?: string): Scorecard => ({ id: 'v', groups: [
  { id: 'engagement', weight: w.eng ?? 55, measures: [
    M('activityLevel', 'activityEvents', w.level ?? 12, { type: 'percentile', ...(seg ? { segmentBy: seg } : {}) }, 30),
    M('perUser', 'activityPerUser', w.perUser ?? 8, { type: 'percentile' }, 30),
    M('breadth', 'featureBreadth', w.breadth ?? 8, { type: 'percentile' }, 30),
    M('vsBase', 'usageVsBaseline', w.vsBase ?? 10, { type: 'linear', worst: -70, best: 0 }, 21),
    M('loginTrend', 'logins', w.loginTrend ?? 5, { type: 'baseline', worst: -60, best: 10 }, 30),
    M('recency', 'daysSinceActivity', w.recency ?? 7, { type: 'step', thresholds: [3, 8, 15, 31], points: [100, 85, 55, 25, 0] }),
    M('activeDays', 'activeDays', w.activeDays ?? 5, { type: 'linear', worst: 0, best: 18 }, 30),
    M('license', 'licenseUtilisation', w.license ?? 3, { type: 'linear', worst: 0.1, best: 0.8 }, 30),
  ]},
  { id: 'support', weight: w.sup ?? 10, measures: [
    M('open', 'openTickets', 5, { type: 'step', thresholds: [1, 3], points: [100, 70, 30] }),
    M('high', 'highPriorityTickets', 5, { type: 'step', thresholds: [1, 2], points: [100, 60, 20] }, 90),
    M('res', 'medianResolutionHours', 5, { type: 'linear', worst: 120, best: 8 }, 90),
  ]},
  { id: 'sentiment', weight: w.sent ?? 25, measures: [
    M('nps', 'npsLatest', 10, { type: 'step', thresholds: [7, 9], points: [10, 60, 100] }),
    M('csat', 'csatAverage', 8, { type: 'linear', worst: 2, best: 5 }, 180),
    M('ces', 'cesAverage', 7, { type: 'linear', worst: 6, best: 2 }, 180),
  ]},
  { id: 'commercial', weight: w.com ?? 10, measures: [
    M('failed', 'failedPayments', 5, { type: 'step', thresholds: [1, 2], points: [100, 50, 0] }, 90),
    M('mrrChange', 'mrrChange', 3, { type: 'linear', worst: -30, best: 10 }, 90),
  ]},
]});
const variants: Record<string, Scorecard> = {
  v2: make({}),
  v2plan: make({}, 'plan'),
  lvlHeavy: make({ level: 20, perUser: 10, breadth: 10 }),
  noLogin: make({ loginTrend: 0, activeDays: 0 }),
  sent15: make({ sent: 15, sup: 5 }),
};
for (const [name, c] of Object.entries(variants)) {
  const ev = evaluateHealth(tl, { asOf: snaps, horizon: 90, profiles: prof, scorecard: c });
  console.log(name.padEnd(12), ev.auc?.toFixed(4), ev.lowestDecile.lift?.toFixed(2), ev.bands.map(b=>`${b.band}:${b.n}/${b.churnRate?.toFixed(3)}`).join(' '));
}
const sw = suggestWeights(tl, { asOf: snaps, horizon: 90, profiles: prof, scorecard: variants.v2! });
console.log(sw.auc, sw.trainAuc);
console.log(sw.weights.map(w => `${w.measure} ${(w.before*100).toFixed(1)}→${(w.after*100).toFixed(1)}`).join('  '));
