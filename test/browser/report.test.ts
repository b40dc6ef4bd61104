/**
 * The HTML report in a real browser (headless Debian Chromium via playwright-core), with every
 * network request blocked and recorded: the page must attempt none, log no error, draw every section
 * the data supports, and its customer table must sort, filter and open a customer's drivers.
 * A screenshot of the overview is written to .tmp/report-artifacts/ (not committed).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCompressor } from '../../src/cli/commands/report';
import { renderReport } from '../../src/report/index';
import { retailReportData, SAAS_ONLY, saasReportData } from '../report/fixtures';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(executablePath);
if (!hasChromium) console.warn(`[browser] no Chromium at ${executablePath}: report browser test SKIPPED.`);

const artifacts = join(import.meta.dirname, '..', '..', '.tmp', 'report-artifacts');

async function open(browser: Browser, html: string, name: string, initScript?: string) {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, `${name}.html`);
  writeFileSync(path, html);
  const url = pathToFileURL(path).href;
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, offline: true });
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    requests.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  if (initScript) await page.addInitScript(initScript);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
  return { page, requests, errors, close: () => context.close() };
}

const column = (page: Page, n: number) =>
  page.$$eval(`#cv-rows tr td:nth-child(${n})`, (tds) => tds.map((td) => td.textContent ?? ''));

describe.skipIf(!hasChromium)('the HTML report in headless Chromium, network blocked', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['plain JSON table', false],
    ['compressed table (deflate-raw, as the CLI writes large reports)', true],
  ])(
    'SaaS sample, %s: no request, no error, every section drawn, table sorts, filters and opens drivers',
    async (_, compressed) => {
      const data = saasReportData();
      const html = renderReport(data, compressed ? { compress: reportCompressor } : {});
      expect(html.includes('data-encoding="deflate-raw;base64"')).toBe(compressed);
      const { page, requests, errors, close } = await open(
        browser,
        html,
        compressed ? 'saas-compressed' : 'saas',
      );
      try {
        expect(requests).toEqual([]);
        expect(errors).toEqual([]);
        await page.locator('#overview').screenshot({ path: join(artifacts, 'overview-saas.png') });

        // Every available section shows its content; charts are non-empty SVGs with a size.
        const charted = ['revenue', 'health', 'churn', 'survival', 'clusters', 'cohorts'];
        for (const id of charted) {
          expect(await page.getAttribute(`#${id}`, 'data-available'), id).toBe('true');
          const sizes = await page.$$eval(`#${id} svg.chart`, (svgs) =>
            svgs.map((s) => ({
              children: s.querySelectorAll('path,rect,circle,line').length,
              w: s.getBoundingClientRect().width,
            })),
          );
          expect(sizes.length, id).toBeGreaterThan(0);
          for (const s of sizes) {
            expect(s.children, id).toBeGreaterThan(2);
            expect(s.w, id).toBeGreaterThan(100);
          }
        }
        expect(await page.locator('#overview .kpi').count()).toBeGreaterThan(3);
        expect(await page.locator('#risky .drivers li').count()).toBeGreaterThan(3);
        expect(await page.textContent('#rfm .reason')).toMatch(/no purchase events/);

        // Pagination: 80 customers, 50 a page.
        expect(await page.locator('#cv-rows tr').count()).toBe(50);
        expect(await page.textContent('#cv-info')).toContain('Customers 1–50 of 80');

        // Sort by health: ascending by default, then descending on a second click.
        const header = page.locator('#cv-table th[data-key="score"] button');
        const nums = async () => (await column(page, 2)).filter((x) => x !== '—').map(Number);
        const asc = await nums();
        expect([...asc].sort((a, b) => a - b)).toEqual(asc);
        await header.click();
        const desc = await nums();
        expect([...desc].sort((a, b) => b - a)).toEqual(desc);
        expect(await page.getAttribute('#cv-table th[data-key="score"]', 'aria-sort')).toBe('descending');
        await page.locator('#cv-table th[data-key="id"] button').click();
        const ids = await column(page, 1);
        expect([...ids].sort()).toEqual(ids);

        // Filter by band, then search by id.
        await page.selectOption('#cv-band', { label: 'at risk' });
        const bands = await column(page, 3);
        expect(bands.length).toBeGreaterThan(0);
        expect(new Set(bands)).toEqual(new Set(['at risk']));
        await page.selectOption('#cv-band', { label: 'all' });
        await page.fill('#cv-search', '0007');
        await page.waitForFunction(() => document.querySelectorAll('#cv-rows tr').length === 1);
        expect(await column(page, 1)).toEqual(['acct_0007']);

        // Click a customer: their score history and drivers.
        await page.locator('#cv-rows button.cust').first().click();
        const detail = page.locator('#cv-detail');
        await expect.poll(() => detail.isVisible()).toBe(true);
        expect(await detail.locator('h3').textContent()).toBe('acct_0007');
        expect(await detail.locator('svg.spark polyline').count()).toBe(1);
        expect(await detail.locator('.drivers li').count()).toBeGreaterThan(0);
        expect(await detail.textContent()).toMatch(/points|\(\+|\(-/);
        // A customer named in a section opens with full sentences.
        await page.fill('#cv-search', '');
        await page.locator('#risky button.cust-link').first().click();
        const first = data.risky.available ? data.risky.data.customers[0] : undefined;
        expect(await detail.locator('h3').textContent()).toBe(first?.id);
        expect(await detail.textContent()).toContain(first?.drivers[0]?.sentence);
        // Print: the controls and the detail panel are hidden, the sections stay.
        await page.emulateMedia({ media: 'print' });
        expect(await page.locator('.controls').isVisible()).toBe(false);
        expect(await page.locator('nav').isVisible()).toBe(false);
        expect(await page.locator('#churn svg.chart').first().isVisible()).toBe(true);
        const pdf = await page.pdf({ format: 'A4' });
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
        expect(requests).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    },
    120_000,
  );

  it('compressed table in a browser without DecompressionStream: a readable message, the sections intact', async () => {
    const html = renderReport(saasReportData(), { compress: reportCompressor });
    const { page, requests, errors, close } = await open(
      browser,
      html,
      'saas-no-decompression',
      'delete window.DecompressionStream;',
    );
    try {
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
      expect(await page.textContent('#customers .reason[role="alert"]')).toMatch(
        /compressed and this browser cannot decompress it .*Safari 16\.4\+/,
      );
      expect(await page.locator('#cv-rows tr').count()).toBe(0);
      expect(await page.locator('#churn svg.chart').count()).toBeGreaterThan(0);
    } finally {
      await close();
    }
  }, 120_000);

  it('retail-only data: the SaaS sections are absent with their reason, the rest drawn', async () => {
    const { page, requests, errors, close } = await open(browser, renderReport(retailReportData()), 'retail');
    try {
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
      for (const id of SAAS_ONLY) {
        expect(await page.getAttribute(`#${id}`, 'data-available'), id).toBe('false');
        expect(await page.textContent(`#${id} .reason`), id).toMatch(/^Not shown: no subscription events/);
        expect(await page.locator(`#${id} svg`).count(), id).toBe(0);
      }
      for (const id of ['clv', 'rfm']) {
        expect(await page.getAttribute(`#${id}`, 'data-available'), id).toBe('true');
        expect(await page.locator(`#${id} svg.chart`).count(), id).toBeGreaterThan(0);
      }
      // Distribution, Lorenz curve and the calibration-vs-holdout tracking plot.
      expect(await page.locator('#clv svg.chart').count()).toBe(3);
      await page.locator('#overview').screenshot({ path: join(artifacts, 'overview-retail.png') });
    } finally {
      await close();
    }
  }, 120_000);
});
