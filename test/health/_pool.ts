import { parseEvents } from '../../src/events/parseEvents';
import { parseProfiles } from '../../src/events/parseProfiles';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { generateSaasEvents } from '../../src/sample/index';
import { evaluateHealth, suggestWeights } from '../../src/health/index';
import type { Scorecard, HealthMeasure } from '../../src/health/index';
const s = generateSaasEvents({ customers: 1500, seed: Number(process.argv[2] ?? 42) });
const p = parseEvents(s.events);
const prof = parseProfiles(s.profiles).profiles;
const tl = groupByCustomer(p.events);
const snaps = ['2024-07-01','2024-09-01','2024-11-01','2025-01-01','2025-03-01','2025-05-01','2025-07-01','2025-09-01'];
const P = { type: 'percentile' as const };
const PL = { type: 'percentile' as const, higherIsBetter: false };
const M = (id: string, signal: string, curve: HealthMeasure['curve'], days?: number): HealthMeasure => ({ id, signal, weight: 1, curve, ...(days ? { days } : {}) });
const card: Scorecard = { id: 'pool', groups: [{ id: 'g', weight: 1, measures: [
  M('act7', 'activityEvents', P, 7), M('act30', 'activityEvents', P, 30), M('act90', 'activityEvents', P, 90),
  M('apu30', 'activityPerUser', P, 30), M('apu90', 'activityPerUser', P, 90),
  M('fb30', 'featureBreadth', P, 30), M('fb90', 'featureBreadth', P, 90),
  M('users30', 'activeUsers', P, 30), M('ad30', 'activeDays', P, 30),
  M('vb14', 'usageVsBaseline', { type: 'linear', worst: -70, best: 0 }, 14),
  M('vb21', 'usageVsBaseline', { type: 'linear', worst: -70, best: 0 }, 21),
  M('ut30', 'usageTrend', { type: 'linear', worst: -60, best: 10 }, 30),
  M('slope', 'usageSlope', { type: 'linear', worst: -15, best: 5 }, 90),
  M('rec', 'daysSinceActivity', { type: 'step', thresholds: [3, 8, 15, 31], points: [100, 85, 55, 25, 0] }),
  M('lt', 'logins', { type: 'baseline', worst: -60, best: 10 }, 30),
  M('nps', 'npsLatest', { type: 'step', thresholds: [7, 9], points: [10, 60, 100] }),
  M('npsP', 'npsLatest', P),
  M('csat', 'csatAverage', { type: 'linear', worst: 2, best: 5 }, 180),
  M('ces', 'cesAverage', { type: 'linear', worst: 6, best: 2 }, 180),
  M('open', 'openTickets', { type: 'step', thresholds: [1, 3], points: [100, 70, 30] }),
  M('hp', 'highPriorityTickets', { type: 'step', thresholds: [1, 2], points: [100, 60, 20] }, 90),
  M('tr', 'ticketRate', PL, 90),
  M('res', 'medianResolutionHours', { type: 'linear', worst: 120, best: 8 }, 90),
  M('fail', 'failedPayments', { type: 'step', thresholds: [1, 2], points: [100, 50, 0] }, 90),
  M('mrrc', 'mrrChange', { type: 'linear', worst: -30, best: 10 }, 90),
  M('mrr', 'mrr', P), M('seats', 'seats', P), M('lic', 'licenseUtilisation', { type: 'linear', worst: 0.1, best: 0.8 }, 30),
]}]};
const sw = suggestWeights(tl, { asOf: snaps, horizon: 90, profiles: prof, scorecard: card, l2: Number(process.argv[3] ?? 1) });
console.log(sw.auc, sw.trainAuc, sw.n);
console.log(sw.weights.map(w => `${w.measure} ${(w.after*100).toFixed(1)}`).join('  '));
