/**
 * `customer-vitals report`: one self-contained HTML report from an export (or a generated sample),
 * written to --out (or stdout). `--pseudonymise` replaces customer ids by keyed hashes. Above
 * {@link COMPRESS_ABOVE_CUSTOMERS} customers the customer table is embedded compressed.
 */
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { parseEvents } from '../../events/parseEvents';
import { parseProfiles } from '../../events/parseProfiles';
import type { CustomerEvent, CustomerProfile } from '../../events/types';
import { buildReportData } from '../../report/buildReportData';
import { pseudonymiseReport } from '../../report/pseudonymiseReport';
import { renderReport } from '../../report/renderReport';
import { generateRetailTransactions } from '../../sample/generateRetailTransactions';
import { generateSaasEvents } from '../../sample/generateSaasEvents';
import type { EventStore } from '../../store/EventStore';
import type { Context } from '../context';
import { EXIT, UsageError } from '../io';
import { enforcePolicy, loadEvents, loadProfiles, resolveAsOf } from '../load';
import { resultSink } from '../output';

/** Environment variable holding the pseudonymisation key. */
export const PSEUDONYM_KEY_ENV = 'CUSTOMER_VITALS_PSEUDONYM_KEY';

/**
 * Reports with more customers than this embed their customer table compressed (base64 of raw
 * DEFLATE, inflated in the page by `DecompressionStream`): 100,000 customers with 36-character UUID
 * ids take ~2.9 MB instead of 7.1 MB. Smaller reports keep plain JSON, readable by any browser and
 * by grep.
 */
export const COMPRESS_ABOVE_CUSTOMERS = 10_000;

/** The compressor the CLI gives `renderReport`: raw DEFLATE (no zlib header), level 9. */
export const reportCompressor = (bytes: Uint8Array): Uint8Array => deflateRawSync(bytes, { level: 9 });

export async function reportCommand(ctx: Context, file: string | undefined): Promise<number> {
  const { opts } = ctx;
  const sample = opts.choice('sample', ['saas', 'retail'] as const);
  opts.limit('max-rejected');
  const givenAsOf = opts.date('as-of');
  const horizonDays = opts.int('horizon', 1) ?? 30;
  if (sample !== undefined && file !== undefined) {
    throw new UsageError('give either FILE or --sample, not both (see customer-vitals report --help)');
  }
  if (sample === undefined && file === undefined) {
    throw new UsageError(
      'missing the input file, or --sample saas|retail (see customer-vitals report --help)',
    );
  }
  let events: CustomerEvent[] | EventStore;
  let profiles: CustomerProfile[];
  let asOf: number;
  let title = opts.string('title');
  if (sample !== undefined) {
    if (sample === 'saas') {
      const s = generateSaasEvents({ customers: 300, seed: 7, end: '2025-06-01' });
      events = parseEvents(s.events).events;
      profiles = parseProfiles(s.profiles).profiles;
    } else {
      const s = generateRetailTransactions({ customers: 1000, seed: 7 });
      events = parseEvents(s.events).events;
      profiles = [];
    }
    asOf = givenAsOf ?? resolveAsOf(ctx, events);
    title ??= `Customer vitals — ${sample === 'saas' ? 'SaaS' : 'retail'} sample`;
  } else {
    const loaded = await loadEvents(ctx, file as string);
    await enforcePolicy(ctx, loaded);
    asOf = resolveAsOf(ctx, loaded.store);
    // buildReportData reads the store (its columns; churn one customer at a time).
    events = loaded.store;
    profiles = await loadProfiles(ctx);
  }
  ctx.progress.setPhase('computing the report');
  let data = buildReportData(events, { asOf, profiles, horizonDays, ...(title ? { title } : {}) });
  if (opts.flag('pseudonymise')) {
    let key = ctx.io.env[PSEUDONYM_KEY_ENV];
    if (!key) {
      key = randomBytes(32).toString('hex');
      await ctx.notice(
        `--pseudonymise: no ${PSEUDONYM_KEY_ENV} set; used a random key (pseudonyms differ from run to run)`,
      );
    }
    data = await pseudonymiseReport(data, { key });
  }
  const html = renderReport(
    data,
    data.customers.ids.length > COMPRESS_ABOVE_CUSTOMERS ? { compress: reportCompressor } : {},
  );
  ctx.progress.done();
  for (const w of data.warnings) await ctx.warn(w);
  const out = opts.string('out');
  const { sink, close } = resultSink(ctx.io, out);
  await sink.write(html);
  await close();
  const shown = Object.values(data).filter(
    (v) => v && typeof v === 'object' && (v as { available?: unknown }).available === true,
  ).length;
  if (out)
    await ctx.notice(
      `${out}: ${(html.length / 1024).toFixed(0)} KB, ${shown} sections with data, ${data.customers.ids.length} customers`,
    );
  return EXIT.ok;
}
