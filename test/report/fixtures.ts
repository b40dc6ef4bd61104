/** Report data sets shared by the report tests: a small SaaS sample and a retail-only one. */
import { parseEvents, parseProfiles } from '../../src/events/index';
import { buildReportData } from '../../src/report/index';
import { generateRetailTransactions, generateSaasEvents } from '../../src/sample/index';

export function saasReportData() {
  const s = generateSaasEvents({ customers: 80, seed: 11, end: '2025-06-01' });
  return buildReportData(parseEvents(s.events).events, {
    profiles: parseProfiles(s.profiles).profiles,
    asOf: '2025-06-01',
    title: 'SaaS sample',
  });
}

export function retailReportData() {
  const r = generateRetailTransactions({ customers: 200, seed: 4 });
  return buildReportData(parseEvents(r.events).events, { asOf: r.end, title: 'Retail sample' });
}

/** Sections that need subscription data (absent for retail-only data). */
export const SAAS_ONLY = ['revenue', 'survival', 'cohorts'] as const;
/** Sections that need purchases (absent for SaaS data without purchases). */
export const RETAIL_ONLY = ['clv', 'rfm'] as const;
