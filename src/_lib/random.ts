/**
 * Seeded pseudo-random numbers. Every random choice in the library goes through this so that the
 * same seed gives the same output on every platform (pure 32-bit integer arithmetic, no Math.random).
 * @module
 */

/** A seeded random source. `next()` returns a float in [0, 1). */
export interface Rng {
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Standard normal draw (Box–Muller, cached pair). */
  normal(): number;
  /** Gamma(shape, scale=1) draw (Marsaglia–Tsang). */
  gamma(shape: number): number;
  /** Poisson(lambda) draw (inversion for small lambda, normal approximation above 500). */
  poisson(lambda: number): number;
  /** Exponential with the given rate. */
  exponential(rate: number): number;
  /** Beta(a, b) draw. */
  beta(a: number, b: number): number;
  /** Bernoulli(p). */
  bernoulli(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** In-place Fisher–Yates shuffle; returns the array. */
  shuffle<T>(items: T[]): T[];
}

function hashSeed(seed: number | string): number {
  // FNV-1a over the decimal/string form, so 1 and "1" give the same stream.
  const s = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The sfc32 stream seeded through splitmix32 from a 32-bit seed, after 12 warm-up draws. */
function sfc32(seed: number): () => number {
  let s = seed;
  const split = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** Standard normal draws from `next` (Box–Muller; the second of each pair is kept for the next call). */
function normalSampler(next: () => number): () => number {
  let spare: number | null = null;
  return (): number => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Gamma(shape, 1) draws from `next` and `normal` (Marsaglia–Tsang; shape < 1 boosted by one). */
function gammaSampler(next: () => number, normal: () => number): (shape: number) => number {
  const gamma = (shape: number): number => {
    if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
    if (shape < 1) {
      let u = 0;
      while (u === 0) u = next();
      return gamma(shape + 1) * u ** (1 / shape);
    }
    const dd = shape - 1 / 3;
    const cc = 1 / Math.sqrt(9 * dd);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + cc * x;
      } while (v <= 0);
      v = v * v * v;
      const u = next();
      if (u < 1 - 0.0331 * x * x * x * x) return dd * v;
      if (Math.log(u) < 0.5 * x * x + dd * (1 - v + Math.log(v))) return dd * v;
    }
  };
  return gamma;
}

/** Poisson(lambda) draws from `next` and `normal` (inversion by chunks of 30, normal above 500). */
function poissonSampler(next: () => number, normal: () => number): (lambda: number) => number {
  return (lambda: number): number => {
    if (!(lambda > 0)) return 0;
    if (lambda > 500) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()));
    // Split large lambdas to avoid exp underflow in inversion.
    let total = 0;
    let rest = lambda;
    while (rest > 0) {
      const l = Math.min(rest, 30);
      rest -= l;
      const L = Math.exp(-l);
      let k = 0;
      let p = next();
      while (p > L) {
        k++;
        p *= next();
      }
      total += k;
    }
    return total;
  };
}

/**
 * Creates a seeded generator (sfc32 seeded through splitmix32).
 * @param seed any number or string; equal seeds give equal streams on every platform.
 */
export function createRng(seed: number | string): Rng {
  const next = sfc32(hashSeed(seed));
  const normal = normalSampler(next);
  const gamma = gammaSampler(next, normal);
  const poisson = poissonSampler(next, normal);
  const rng: Rng = {
    next,
    int: (n) => Math.floor(next() * n),
    normal,
    gamma,
    poisson,
    exponential: (rate) => {
      let u = 0;
      while (u === 0) u = next();
      return -Math.log(u) / rate;
    },
    beta: (a1, b1) => {
      const x = gamma(a1);
      const y = gamma(b1);
      return x / (x + y);
    },
    bernoulli: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty array');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const t = items[i] as (typeof items)[number];
        items[i] = items[j] as (typeof items)[number];
        items[j] = t;
      }
      return items;
    },
  };
  return rng;
}
