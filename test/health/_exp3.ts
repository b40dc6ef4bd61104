import { parseEvents } from '../../src/events/parseEvents';
import { parseProfiles } from '../../src/events/parseProfiles';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { generateSaasEvents } from '../../src/sample/index';
import { evaluateHealth } from '../../src/health/index';
import type { Scorecard, HealthMeasure } from '../../src/health/index';
const s = generateSaasEvents({ customers: Number(process.argv[3] ?? 1000), seed: Number(process.argv[2] ?? 42) });
const p = parseEvents(s.events);
const prof = parseProfiles(s.profiles).profiles;
const tl = groupByCustomer(p.events);
const snaps = ['2024-07-01','2024-10-01','2025-01-01','2025-04-01','2025-07-01','2025-09-01'];
const P = { type: 'percentile' as const };
const M = (id: string, signal: string, weight: number, curve: HealthMeasure['curve'], days?: number): HealthMeasure => ({ id, signal, weight, curve, ...(days ? { days } : {}) });
const make = (w: Record<string, number>): Scorecard => ({ id: 'v', groups: [
  { id: 'engagement', weight: w.eng ?? 40, measures: [
    M('recentActivity', 'activityEvents', w.act ?? 6, P, w.actDays ?? 14),
    M('perUser', 'activityPerUser', w.apu ?? 5, P, 90),
    M('breadth', 'featureBreadth', w.fb ?? 6, P, 30),
    M('vsBase', 'usageVsBaseline', w.vb ?? 6, { type: 'linear', worst: -70, best: 0 }, 21),
    M('slope', 'usageSlope', w.slope ?? 2, { type: 'linear', worst: -15, best: 5 }, 90),
    M('recency', 'daysSinceActivity', w.rec ?? 4, { type: 'step', thresholds: [3, 8, 15, 31], points: [100, 85, 55, 25, 0] }),
    M('loginTrend', 'logins', w.lt ?? 3, { type: 'baseline', worst: -60, best: 10 }, 30),
  ]},
  { id: 'footprint', weight: w.foot ?? 10, measures: [
    M('users', 'activeUsers', w.users ?? 5, P, 30),
    M('seats', 'seats', w.seats ?? 5, P),
    M('lic', 'licenseUtilisation', w.lic ?? 0, { type: 'linear', worst: 0.1, best: 0.8 }, 30),
  ]},
  { id: 'support', weight: w.sup ?? 20, measures: [
    M('open', 'openTickets', 5, { type: 'step', thresholds: [1, 3], points: [100, 70, 30] }),
    M('high', 'highPriorityTickets', 5, { type: 'step', thresholds: [1, 2], points: [100, 60, 20] }, 90),
    M('rate', 'ticketRate', w.tr ?? 5, { type: 'linear', worst: 3, best: 0 }, 90),
    M('res', 'medianResolutionHours', 5, { type: 'linear', worst: 120, best: 8 }, 90),
  ]},
  { id: 'sentiment', weight: w.sent ?? 20, measures: [
    M('nps', 'npsLatest', 10, { type: 'step', thresholds: [7, 9], points: [10, 60, 100] }),
    M('csat', 'csatAverage', 5, { type: 'linear', worst: 2, best: 5 }, 180),
    M('ces', 'cesAverage', 5, { type: 'linear', worst: 6, best: 2 }, 180),
  ]},
  { id: 'commercial', weight: w.com ?? 10, measures: [
    M('failed', 'failedPayments', 5, { type: 'step', thresholds: [1, 2], points: [100, 50, 0] }, 90),
    M('mrrChange', 'mrrChange', 3, { type: 'linear', worst: -30, best: 10 }, 90),
    M('csm', 'csmRating', 2, { type: 'linear', worst: 1, best: 5 }),
  ]},
]});
const variants: Record<string, Scorecard> = {
  d: make({}),
  foot15: make({ foot: 15, eng: 35 }),
  noTrend: make({ lt: 0, slope: 0 }),
  vb10: make({ vb: 10 }),
  apu8fb8: make({ apu: 8, fb: 8 }),
};
for (const [name, c] of Object.entries(variants)) {
  const ev = evaluateHealth(tl, { asOf: snaps, horizon: 90, profiles: prof, scorecard: c });
  console.log(name.padEnd(12), ev.auc?.toFixed(4), ev.lowestDecile.lift?.toFixed(2), ev.bands.map(b=>`${b.band}:${b.n}/${b.churnRate?.toFixed(3)}`).join(' '));
}
