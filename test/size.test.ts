import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * Bundle budgets (#12): what a consumer's bundler ships for one import, minified and gzipped, built
 * the way an app would (esbuild, ESM, browser platform, tree-shaken). Fails when a budget is exceeded
 * and when esbuild warns (consumers must see no warnings from this package).
 */
const BUDGETS: { name: string; module: string; maxGzipBytes: number }[] = [
  { name: 'scoreHealth', module: 'health', maxGzipBytes: 60_000 },
  { name: 'fitBGNBD', module: 'clv', maxGzipBytes: 25_000 },
  { name: 'nps', module: 'metrics', maxGzipBytes: 3_000 },
];

async function bundledSize(name: string, module: string): Promise<{ gzip: number; warnings: string[] }> {
  const result = await build({
    stdin: {
      contents: `import { ${name} } from './src/${module}/index';\nglobalThis.__keep = ${name};`,
      resolveDir: new URL('..', import.meta.url).pathname,
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { gzip: gzipSync(code, { level: 9 }).length, warnings: result.warnings.map((w) => w.text) };
}

describe('bundle size budgets', () => {
  for (const { name, module, maxGzipBytes } of BUDGETS) {
    it(`${name} ships at most ${maxGzipBytes / 1000} kB gzipped, with no esbuild warning`, async () => {
      const { gzip, warnings } = await bundledSize(name, module);
      console.log(`size: ${name} ${(gzip / 1000).toFixed(1)} kB gz (budget ${maxGzipBytes / 1000} kB)`);
      expect(warnings).toEqual([]);
      expect(gzip).toBeLessThanOrEqual(maxGzipBytes);
    }, 30_000);
  }
});
