// Seeded pseudo-random numbers for everything in the domain (curricula, seeds, shuffles).
// mulberry32: 32-bit state, fast, good enough for experimental design (not for cryptography).

export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
};

/** The mulberry32 generator: the one definition, used by `createRng` and extended by the model's
 * bulk generator (lib/model/random.ts `FastRng`, whose hot loops call `int32` millions of times). */
export class Mulberry32 {
  // state in a typed array: a uint32 class field would be boxed as a heap number on every step
  private readonly st = new Int32Array(1);
  constructor(seed: number) {
    this.st[0] = seed | 0;
  }
  /** Raw 32-bit signed integer. */
  protected int32(): number {
    const a = (this.st[0] + 0x6d2b79f5) | 0;
    this.st[0] = a;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return t ^ (t >>> 14);
  }
  /** Uniform in [0, 1). */
  uniform(): number {
    return (this.int32() >>> 0) / 4294967296;
  }
}

export function createRng(seed: number): Rng {
  const generator = new Mulberry32(seed);
  const next = () => generator.uniform();
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal: () => {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Derive an independent 31-bit seed from a base seed and an integer stream id (splitmix-style). */
export function deriveSeed(base: number, stream: number): number {
  let z = (Math.imul(base >>> 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) & 0x7fffffff;
}
