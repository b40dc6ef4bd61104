import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSaasEvents } from '../src/sample/generateSaasEvents';

/**
 * Every fenced ```ts block of README.md and docs/*.md runs (#12): a documented call that does not
 * work — like an option name that does not exist — fails here. Blocks marked ```ts no-run are
 * illustrations only. A block may use these prepared values without declaring them:
 * `events`, `profiles` (a seeded 40-account SaaS sample) and `rows` (raw export rows with the
 * column names the README's mapping example uses). Imports of 'customer-vitals' and its subpaths
 * resolve to src/.
 */
const ROOT = join(import.meta.dirname, '..');
const TMP = join(ROOT, 'test', '.docblocks');

function blocksOf(file: string): { line: number; code: string }[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: { line: number; code: string }[] = [];
  const re = /^```(ts|typescript)[ \t]*\n([\s\S]*?)^```/gm;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push({ line: text.slice(0, m.index).split('\n').length, code: m[2] ?? '' });
  }
  return out;
}

function rewriteImports(code: string): string {
  return code.replace(/from '(customer-vitals)(\/[a-z]+)?'/g, (_m, _p, sub: string | undefined) => {
    const target =
      sub === undefined ? join(ROOT, 'src', 'index.ts') : join(ROOT, 'src', sub.slice(1), 'index.ts');
    return `from '${target}'`;
  });
}

const files = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

beforeAll(() => {
  mkdirSync(TMP, { recursive: true });
  const sample = generateSaasEvents({ customers: 40, seed: 3 });
  const g = globalThis as Record<string, unknown>;
  g.events = sample.events;
  g.profiles = sample.profiles;
  g.rows = sample.events.slice(0, 200).map((e) => ({
    user_id: e.customerId,
    ts: typeof e.timestamp === 'number' ? new Date(e.timestamp).toISOString() : e.timestamp,
    event: e.type === 'purchase' ? 'Order Completed' : e.type === 'login' ? 'Signed In' : e.type,
    amount: e.value,
  }));
});
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe('code blocks in the docs run as written', () => {
  for (const file of files) {
    const blocks = blocksOf(file);
    if (blocks.length === 0) continue;
    describe(file, () => {
      blocks.forEach(({ line, code }, i) => {
        it(`block at line ${line} runs`, async () => {
          const path = join(TMP, `${file.replace(/[/.]/g, '_')}_${i}.ts`);
          writeFileSync(path, `${rewriteImports(code)}\nexport {};\n`);
          const log = vi.spyOn(console, 'log').mockImplementation(() => {});
          try {
            await expect(import(path)).resolves.toBeDefined();
          } finally {
            log.mockRestore();
          }
        }, 60_000);
      });
    });
  }
});
