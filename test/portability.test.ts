import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The core must run in browsers, Deno, Bun and edge runtimes: no Node built-ins, no Node globals,
// no clock or unseeded randomness outside src/cli.
const root = join(import.meta.dirname, '..', 'src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
const core = files(root).filter((f) => !relative(root, f).startsWith('cli'));

describe('portability of src/ (outside src/cli)', () => {
  it('finds the core files', () => {
    expect(core.length).toBeGreaterThan(10);
  });
  it.each(core.map((f) => [relative(root, f), f]))(
    '%s uses no Node-only API, clock or Math.random',
    (_rel, file) => {
      const text = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      expect(text).not.toMatch(
        /from\s+['"](node:|fs|path|os|child_process|worker_threads|crypto|util|stream)['"/]/,
      );
      expect(text).not.toMatch(/\brequire\(/);
      expect(text).not.toMatch(/\b(process\.|Buffer\.|__dirname|__filename)/);
      expect(text).not.toMatch(/\bDate\.now\(|\bnew Date\(\)|Math\.random\(/);
    },
  );
});
