import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { workload } from './workload';

const to8Digits = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_k, v) =>
      typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(8)) : v,
    ),
  );

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(executablePath);
if (!hasChromium) {
  console.warn(
    `[browser] no Chromium at ${executablePath}: browser test SKIPPED (apt-get install chromium).`,
  );
}

describe.skipIf(!hasChromium)('the core in a real browser (headless Chromium)', () => {
  it('bundles for the browser platform and gives exactly the Node results', async () => {
    const bundle = await build({
      entryPoints: [join(import.meta.dirname, 'workload.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'vitalsWorkload',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'silent',
    });
    const code = bundle.outputFiles[0]?.text ?? '';
    const browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      // A far-from-UTC zone for the page, so any reliance on local time would show.
      const context = await browser.newContext({ timezoneId: 'Pacific/Kiritimati' });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.setContent('<!doctype html><title>customer-vitals</title>');
      await page.addScriptTag({ content: code });
      const inBrowser = (await page.evaluate('vitalsWorkload.workload()')) as Record<string, unknown>;
      expect(errors).toEqual([]);
      const inNode = workload();
      expect(inBrowser.localTimeZone).toBe('Pacific/Kiritimati');
      const { localTimeZone: _a, ...browserRest } = inBrowser;
      const { localTimeZone: _b, ...nodeRest } = inNode;
      // Exact equality for everything but non-integer numbers, which are compared to 8 significant
      // digits: the CLV optimiser turns last-bit differences between V8 versions' Math.exp/log
      // (Node 20 vs current Chromium) into differences around 1e-10.
      expect(to8Digits(browserRest)).toEqual(to8Digits(nodeRest));
      expect(browserRest.health).toEqual(nodeRest.health);
      expect(browserRest.movements).toEqual(nodeRest.movements);
      expect(nodeRest.events).toBeGreaterThan(1000);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
