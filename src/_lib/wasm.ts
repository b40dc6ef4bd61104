/**
 * WebAssembly kernels: small modules (each < 4 KB, so Chrome allows their synchronous compilation on
 * the main thread) that speed up a hot loop, always beside a pure-TypeScript path giving bit-identical
 * results. A kernel's text source is `src/<module>/_<name>.wat`; `scripts/build-wasm.ts` compiles it
 * into the sibling `_<name>.wasm.ts` (its bytes as base64). Everything here is synchronous and returns
 * `null` instead of throwing when WebAssembly is missing, refuses to compile (edge runtimes forbid
 * runtime compilation) or cannot get the memory, so that callers fall back to TypeScript.
 *
 * The only state is a lazily compiled `WebAssembly.Module` per kernel (immutable, shared); every call
 * that uses a kernel makes its own instance and memory (created at its final size, never grown: see
 * {@link newMemory}). Private to the library.
 * @module
 */

/** 64 KiB, the WebAssembly page. */
export const WASM_PAGE = 65_536;

/**
 * Test switch: when `disabled` is true every kernel reports itself unavailable, so the TypeScript
 * fallback runs (tests compare both paths). Never set by the library itself.
 * @internal
 */
export const wasmSwitch: { disabled: boolean } = { disabled: false };

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes standard base64 (with or without `=` padding) without `atob` or `Buffer`. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const lookup = new Int16Array(128).fill(-1);
  for (let k = 0; k < 64; k++) lookup[B64.charCodeAt(k)] = k;
  let len = text.length;
  while (len > 0 && text.charCodeAt(len - 1) === 61) len--;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (let k = 0; k < len; k++) {
    const c = text.charCodeAt(k);
    const v = c < 128 ? (lookup[c] as number) : -1;
    if (v < 0) throw new RangeError(`decodeBase64: invalid character at ${k}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >>> bits) & 0xff;
    }
  }
  return out;
}

/** The global `WebAssembly` object, or null where there is none. */
function wasmApi(): typeof WebAssembly | null {
  const api = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  return typeof api === 'object' && api !== null && typeof api.Module === 'function' ? api : null;
}

/** A compiled kernel, shared by every call (see {@link lazyModule}). */
export type ModuleGetter = () => WebAssembly.Module | null;

/**
 * A getter of the module compiled from `base64` (a generated `_*.wasm.ts` constant), compiled on first
 * use and cached; `null` (cached too) when WebAssembly is absent or compilation throws, and `null`
 * while {@link wasmSwitch} is disabled. `features` lists what the module needs beyond WebAssembly 1.0
 * (`'simd'`): `null` when the runtime lacks it, without trying to compile.
 */
export function lazyModule(base64: string, features: readonly 'simd'[] = []): ModuleGetter {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (wasmSwitch.disabled) return null;
    if (compiled === undefined) {
      compiled = null;
      const api = wasmApi();
      if (api !== null && (!features.includes('simd') || wasmSimd())) {
        try {
          compiled = new api.Module(decodeBase64(base64));
        } catch {
          compiled = null;
        }
      }
    }
    return compiled;
  };
}

/** Synchronous instance of `module` (no imports unless given), or null when instantiation throws. */
export function instantiate(
  module: WebAssembly.Module,
  imports: WebAssembly.Imports = {},
): WebAssembly.Instance | null {
  const api = wasmApi();
  if (api === null) return null;
  try {
    return new api.Instance(module, imports);
  } catch {
    return null;
  }
}

/**
 * A memory of at least `bytes` bytes, created at that size (import it into the kernel: `(import "env"
 * "memory" (memory 1))`), or null when it cannot be had (over 4 GiB or refused). Never grow a memory
 * instead: `memory.grow` detaches the old buffer, and in V8 the first detached buffer of a process
 * turns off an optimisation of every typed-array loop in it (measured: a plain Float64Array loop 2×
 * slower for the rest of the process).
 */
export function newMemory(bytes: number): WebAssembly.Memory | null {
  const api = wasmApi();
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE));
  if (api === null || pages > 65_536) return null;
  try {
    return new api.Memory({ initial: pages });
  } catch {
    return null;
  }
}

/**
 * A bump allocator over a byte range: `take(bytes)` returns an offset aligned to `align` (default
 * 16) and advances; `size` is the total so far. Lay out a kernel's arrays with it, create the memory
 * at `size` ({@link newMemory}), then take the views.
 */
export class WasmLayout {
  size: number;
  constructor(start = 0) {
    this.size = start;
  }
  take(bytes: number, align = 16): number {
    const at = Math.ceil(this.size / align) * align;
    this.size = at + bytes;
    return at;
  }
}

// (module (func (result v128) (v128.const i32x4 0 0 0 0)))
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

/** Whether the runtime validates 128-bit SIMD (`WebAssembly.validate` of a one-instruction module). */
export function wasmSimd(): boolean {
  const api = wasmApi();
  if (api === null) return false;
  try {
    return api.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}
