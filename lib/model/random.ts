// Bulk seeded random numbers for the model's data stream (never Math.random).
// Per-op overhead dominates this model, so numbers are generated in bulk into typed arrays.
// The data enter the gradient only through the second moment S = XᵀX/B (docs/science.md §9), so the
// paper-mode stream samples S directly from its Wishart law (Bartlett decomposition) instead of
// drawing X ∈ R^{B×d_in}: statistically identical (proved by random.test.ts against explicit batches).
import { deriveSeed, Mulberry32 } from "@/lib/core/rng";
import { sampleGamma } from "@/lib/core/stats";

// Ziggurat tables for N(0,1), 128 layers (Marsaglia & Tsang 2000, "The Ziggurat Method for
// Generating Random Variables", J. Stat. Softw. 5(8), RNOR/zigset).
const ZN = 128;
const KN = new Int32Array(ZN);
const WN = new Float64Array(ZN);
const FN = new Float64Array(ZN);
{
  const m1 = 2147483648.0;
  let dn = 3.442619855899;
  let tn = dn;
  const vn = 9.91256303526217e-3;
  const q = vn / Math.exp(-0.5 * dn * dn);
  KN[0] = Math.floor((dn / q) * m1);
  KN[1] = 0;
  WN[0] = q / m1;
  WN[ZN - 1] = dn / m1;
  FN[0] = 1;
  FN[ZN - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = ZN - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = Math.floor((dn / tn) * m1);
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / m1;
  }
}
const ZR = 3.442619855899;

/** mulberry32 uniform stream (lib/core/rng.ts `Mulberry32`, the same stream as `createRng`); ziggurat normals (layer index from a separate draw, avoiding the
 * classic low-bits correlation noted by Doornik 2005). */
export class FastRng extends Mulberry32 {
  /** Standard normal, ziggurat RNOR/nfix. */
  normal(): number {
    for (;;) {
      const hz = this.int32();
      const iz = this.int32() & (ZN - 1);
      if (Math.abs(hz) < KN[iz]) return hz * WN[iz];
      if (iz === 0) {
        // tail beyond r: Marsaglia (1964)
        let x: number, y: number;
        do {
          x = -Math.log(1 - this.uniform()) / ZR;
          y = -Math.log(1 - this.uniform());
        } while (y + y < x * x);
        return hz > 0 ? ZR + x : -ZR - x;
      }
      const x = hz * WN[iz];
      if (FN[iz] + this.uniform() * (FN[iz - 1] - FN[iz]) < Math.exp(-0.5 * x * x)) return x;
    }
  }
  /** Gamma(shape, 1) by Marsaglia & Tsang (2000) (lib/core/stats.ts sampleGamma). */
  gamma(shape: number): number {
    return sampleGamma(shape, this);
  }
  /** χ²(ν) = 2·Gamma(ν/2, 1). */
  chiSquare(nu: number): number {
    return 2 * this.gamma(nu / 2);
  }

  /**
   * Bulk Bartlett factor for the js engine: the same draws, in the same order, as `sampleGramFactor`,
   * and the same values F = fround(L/√B), written to out[0…d²) as F (lower triangle, row-major; the
   * upper entries are not written). Needs B ≥ d. (An inlined mulberry32/ziggurat fast path with the
   * state in a local was measured ~1.8× slower than these method calls, which TurboFan inlines.)
   */
  bartlettFactor(d: number, B: number, out: Float64Array): void {
    if (B < d) throw new Error(`bartlettFactor needs B ≥ d, but got B=${B}, d=${d}`);
    const sc = 1 / Math.sqrt(B);
    for (let i = 0; i < d; i++) {
      const row = i * d;
      for (let j = 0; j < i; j++) out[row + j] = Math.fround(this.normal() * sc);
      out[row + i] = Math.fround(Math.sqrt(this.chiSquare(B - i)) * sc);
    }
  }
}

/** Independent stream for batch element `element` and purpose `stream` (0 = init, 1 = data, ...). */
export const rngFor = (seed: number, element: number, stream: number): FastRng =>
  new FastRng(deriveSeed(deriveSeed(seed, element), stream));

/**
 * Write S = XᵀX/B for X ∈ R^{B×d} with i.i.d. N(0,1) entries into out[offset … offset+d²) (row-major).
 * B ≥ d: Bartlett decomposition XᵀX = L Lᵀ, L lower-triangular with L_ii = √χ²(B−i) and
 * L_ij ~ N(0,1) for i > j (Bartlett 1933; Anderson, "Multivariate Statistical Analysis", Thm 7.2.1).
 * B < d (singular Wishart): explicit draw of X.
 */
export function sampleGram(
  rng: FastRng,
  d: number,
  B: number,
  out: Float32Array,
  offset: number,
  L?: Float64Array,
): void {
  if (B < d) {
    sampleGramExplicit(rng, d, B, out, offset);
    return;
  }
  const l = L ?? new Float64Array(d * d); // L: [d, d], lower triangle used
  bartlett(rng, d, B, l);
  const inv = 1 / B;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0; // (L Lᵀ)_ij = Σ_{k ≤ j} L_ik L_jk
      for (let k = 0; k <= j; k++) s += l[i * d + k] * l[j * d + k];
      out[offset + i * d + j] = s * inv;
      out[offset + j * d + i] = s * inv;
    }
  }
}

/** Bartlett factor L (lower-triangular, row-major into l[0…d²)); the draw order defines the stream. */
function bartlett(rng: FastRng, d: number, B: number, l: Float64Array): void {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) l[i * d + j] = rng.normal();
    l[i * d + i] = Math.sqrt(rng.chiSquare(B - i));
  }
}

/**
 * The same draw as `sampleGram` (identical random stream), returned as the factor F = L/√B with
 * S = F Fᵀ: F row-major (lower triangle) at out[offset…+d²) and Fᵀ row-major (upper triangle) at
 * out[offset+d²…+2d²); entries outside the triangles are not written.
 * Lets the js engine form G = (D F) Fᵀ with two triangular products instead of L Lᵀ plus D S. Needs B ≥ d.
 */
export function sampleGramFactor(
  rng: FastRng,
  d: number,
  B: number,
  out: Float32Array,
  offset: number,
  L: Float64Array,
): void {
  if (B < d) throw new Error(`sampleGramFactor needs B ≥ d, but got B=${B}, d=${d}`);
  bartlett(rng, d, B, L);
  const sc = 1 / Math.sqrt(B);
  const d2 = d * d;
  // only the triangles are written (and read by js-paper.ts); the other entries are left as they are
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const v = L[i * d + j] * sc;
      out[offset + i * d + j] = v; // F[i, j], lower
      out[offset + d2 + j * d + i] = v; // Fᵀ[j, i], upper
    }
  }
}

/** S = XᵀX/B from an explicitly drawn batch X ∈ R^{B×d} (reference for tests, and B < d). */
export function sampleGramExplicit(
  rng: FastRng,
  d: number,
  B: number,
  out: Float32Array,
  offset: number,
): Float64Array {
  const X = new Float64Array(B * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.normal();
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let b = 0; b < B; b++) s += X[b * d + i] * X[b * d + j];
      out[offset + i * d + j] = s / B;
      out[offset + j * d + i] = s / B;
    }
  }
  return X;
}
