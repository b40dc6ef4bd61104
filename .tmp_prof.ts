import { compressRfm } from './src/clv/compressRfm';
import { fitBGNBD } from './src/clv/fitBGNBD';
import { fitParetoNBD } from './src/clv/fitParetoNBD';
import { rfmSummary } from './src/clv/rfmSummary';
import { loadCdnowMaster } from './test/helpers/cdnow';

const events = loadCdnowMaster().map((t) => ({
  customerId: t.customerId,
  type: 'purchase',
  timestamp: t.date,
  value: t.dollars,
}));
const c = compressRfm(rfmSummary(events, { asOf: Date.UTC(1998, 5, 30), timeUnit: 'weeks' }).columns);
for (let i = 0; i < 5; i++) fitBGNBD(c);
let t0 = performance.now();
for (let i = 0; i < 10; i++) fitBGNBD(c);
console.log('bg se', (performance.now() - t0) / 10);
for (let i = 0; i < 2; i++) fitParetoNBD(c);
t0 = performance.now();
for (let i = 0; i < 5; i++) fitParetoNBD(c);
console.log('pareto se', (performance.now() - t0) / 5);
