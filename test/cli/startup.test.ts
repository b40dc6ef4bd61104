import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The CLI's start (#14, cold start): `--version`, `--help` and argument errors run from the entry's
 * static imports only; each command's code (the library, zod, date-fns, csv-parse) is imported when
 * the command runs. Built as tsup builds the CLI (esbuild, ESM, code splitting, zod and date-fns
 * bundled in); the static import closure of the entry chunk is checked.
 */
describe('the CLI entry', () => {
  it('statically loads only its own small part: no library module, no zod, no date-fns', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const outdir = mkdtempSync(join(tmpdir(), 'cv-cli-start-'));
    try {
      const result = await build({
        entryPoints: { 'cli/index': join(root, 'src/cli/index.ts') },
        bundle: true,
        splitting: true,
        format: 'esm',
        platform: 'node',
        outdir,
        write: false,
        metafile: true,
        logLevel: 'silent',
        external: ['@duckdb/node-api', 'hyparquet', 'csv-parse', 'csv-parse/sync', 'simple-statistics'],
      });
      const outputs = result.metafile.outputs;
      const entry = Object.keys(outputs).find((k) => outputs[k]?.entryPoint?.endsWith('src/cli/index.ts'));
      expect(entry).toBeDefined();
      const seen = new Set<string>();
      const stack = [entry as string];
      while (stack.length > 0) {
        const file = stack.pop() as string;
        if (seen.has(file)) continue;
        seen.add(file);
        for (const imp of outputs[file]?.imports ?? []) {
          if (imp.kind === 'import-statement' && !imp.external) stack.push(imp.path);
        }
      }
      const inputs = [...seen].flatMap((f) => Object.keys(outputs[f]?.inputs ?? {}));
      const bytes = [...seen].reduce((s, f) => s + (outputs[f]?.bytes ?? 0), 0);
      expect(inputs.filter((i) => /node_modules[\\/](zod|date-fns|@date-fns)[\\/]/.test(i))).toEqual([]);
      // Only the CLI's own start-up files and the small _lib helpers they use (closest, errors, safe).
      expect(inputs.filter((i) => /src[\\/](?!cli[\\/]|_lib[\\/](closest|errors|safe)\.ts)/.test(i))).toEqual(
        [],
      );
      expect(bytes).toBeLessThan(60_000);
      // The commands are still there, behind dynamic imports (so this test can fail both ways).
      const all = Object.values(outputs).flatMap((o) => Object.keys(o.inputs));
      expect(all.some((i) => /src[\\/]health[\\/]scoreHealth\.ts$/.test(i))).toBe(true);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 30_000);
});
