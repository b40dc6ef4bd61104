import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeBase64,
  instantiate,
  lazyModule,
  newMemory,
  WASM_PAGE,
  WasmLayout,
  wasmSimd,
  wasmSwitch,
} from '../../src/_lib/wasm';

// (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
//   (memory (export "memory") 1))
const ADD_MODULE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 127, 127, 1, 127, 3, 2, 1, 0, 5, 3, 1, 0, 1, 7, 16, 2, 3, 97,
  100, 100, 0, 0, 6, 109, 101, 109, 111, 114, 121, 2, 0, 10, 9, 1, 7, 0, 32, 0, 32, 1, 106, 11,
]);
const ADD_BASE64 = Buffer.from(ADD_MODULE).toString('base64');

afterEach(() => {
  wasmSwitch.disabled = false;
});

describe('decodeBase64', () => {
  it('decodes what Buffer encodes, with and without padding', () => {
    for (const s of ['', 'a', 'ab', 'abc', 'abcd', 'hello wasm!']) {
      const b64 = Buffer.from(s).toString('base64');
      expect(Buffer.from(decodeBase64(b64)).toString()).toBe(s);
      expect(Buffer.from(decodeBase64(b64.replace(/=+$/, ''))).toString()).toBe(s);
    }
    const all = Uint8Array.from({ length: 256 }, (_, k) => k);
    expect(Array.from(decodeBase64(Buffer.from(all).toString('base64')))).toEqual(Array.from(all));
  });

  it('rejects characters outside the alphabet', () => {
    expect(() => decodeBase64('ab$d')).toThrow(RangeError);
  });
});

describe('lazyModule and instantiate', () => {
  it('compiles once, instantiates synchronously, and each instance has its own memory', () => {
    const get = lazyModule(ADD_BASE64);
    const m = get();
    expect(m).toBeInstanceOf(WebAssembly.Module);
    expect(get()).toBe(m); // cached
    const a = instantiate(m as WebAssembly.Module) as WebAssembly.Instance;
    const b = instantiate(m as WebAssembly.Module) as WebAssembly.Instance;
    expect((a.exports.add as (x: number, y: number) => number)(2, 3)).toBe(5);
    expect(a.exports.memory).not.toBe(b.exports.memory);
  });

  it('gives null (no throw) for bytes that do not compile, and caches that', () => {
    const get = lazyModule(Buffer.from([0, 97, 115, 109, 9, 9, 9, 9]).toString('base64'));
    expect(get()).toBeNull();
    expect(get()).toBeNull();
  });

  it('gives null while the test switch forces the TypeScript path', () => {
    const get = lazyModule(ADD_BASE64);
    wasmSwitch.disabled = true;
    expect(get()).toBeNull();
    wasmSwitch.disabled = false;
    expect(get()).toBeInstanceOf(WebAssembly.Module);
  });

  it('gives null where there is no WebAssembly (an edge runtime without it)', () => {
    const saved = globalThis.WebAssembly;
    try {
      // @ts-expect-error simulate a runtime without WebAssembly
      globalThis.WebAssembly = undefined;
      expect(lazyModule(ADD_BASE64)()).toBeNull();
      expect(wasmSimd()).toBe(false);
    } finally {
      globalThis.WebAssembly = saved;
    }
  });

  it('gives null where compilation is refused (edge runtimes forbid runtime compilation)', () => {
    const saved = WebAssembly.Module;
    try {
      // biome-ignore lint/suspicious/noExplicitAny: replacing a global constructor for the test
      (WebAssembly as any).Module = function Refused() {
        throw new Error('Wasm code generation disallowed by embedder');
      };
      expect(lazyModule(ADD_BASE64)()).toBeNull();
    } finally {
      // biome-ignore lint/suspicious/noExplicitAny: restoring it
      (WebAssembly as any).Module = saved;
    }
  });
});

describe('wasmSimd', () => {
  it('detects 128-bit SIMD in Node (V8 has it since Node 16.4)', () => {
    expect(wasmSimd()).toBe(true);
  });
});

describe('newMemory and WasmLayout', () => {
  it('creates a memory at its final size (whole pages), and null beyond 4 GiB', () => {
    expect(newMemory(100)?.buffer.byteLength).toBe(WASM_PAGE);
    expect(newMemory(3 * WASM_PAGE + 1)?.buffer.byteLength).toBe(4 * WASM_PAGE);
    expect(newMemory(0)?.buffer.byteLength).toBe(WASM_PAGE);
    expect(newMemory(2 ** 32 + 1)).toBeNull();
  });

  it('lays out aligned blocks one after the other', () => {
    const lay = new WasmLayout(16);
    expect(lay.take(5)).toBe(16);
    expect(lay.take(8)).toBe(32); // 21 rounded up to 16
    expect(lay.take(3, 8)).toBe(40);
    expect(lay.size).toBe(43);
  });
});
