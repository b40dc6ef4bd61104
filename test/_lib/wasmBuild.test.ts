import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateWasm, MAX_WASM_BYTES } from '../../scripts/build-wasm';

describe('generated WebAssembly modules', () => {
  it('are up to date with their .wat sources (else run npx tsx scripts/build-wasm.ts) and under 4 KB', async () => {
    const gen = await generateWasm();
    expect(gen.length).toBeGreaterThan(0);
    for (const g of gen) {
      expect(g.bytes).toBeLessThan(MAX_WASM_BYTES);
      expect(readFileSync(g.path, 'utf8'), `${g.wat} is stale`).toBe(g.text);
    }
  });
});
