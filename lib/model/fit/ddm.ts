// Drift-diffusion (Wiener) link from a model's scalar output ŷ to a human's choice AND decision
// time, for maximum-likelihood fitting. Pure numbers in, numbers out; nothing allocated in the hot
// functions (ddmLogDensity, ddmLogSurvival, ddmChoiceProb), which a fit calls ~10^7 times.
//
// Conventions
//   • Unbiased start w = ½ (the walk starts midway), diffusion noise σ = 1, boundary separation
//     A > 0 (a precondition: not checked), drift v of any sign. Positive drift runs toward the
//     UPPER boundary = choice +1; the lower boundary is choice −1. Times are in seconds and are
//     DECISION times (subtract any non-decision time before calling).
//   • Normalised time u = t/A² and V = v·A; every quantity below depends on (u, V) only, up to the
//     1/A² of a density.
//
// Choice (Ratcliff 1978): P(upper) = 1/(1 + e^(−vA)) for a centred start, so
//   ddmChoiceProb(c, v, A) = σ(c·v·A), evaluated without overflow for either sign.
//
// Density (Navarro & Fuss 2009, J Math Psych 53:222). Lower boundary:
//   p₋(t | v, A, w) = A⁻² exp(−vAw − v²t/2) f(t/A² | w); the upper boundary is the lower one with
//   v → −v, w → 1 − w. With w = ½ both use the SAME standardised density f(u) = f(u | ½), so
//   log p_c(t) = −2 log A + c·vA/2 − v²t/2 + log f(u), and p₊/p₋ = e^(vA) at every t: the choice
//   and the decision time are independent, and both conditional time distributions are equal.
//   For w = ½ the two series of Navarro & Fuss collapse onto one Jacobi theta product
//   G(q) = Σ_{n≥0} (−1)ⁿ (2n+1) q^(n(n+1)) = Π_{n≥1} (1 − q^(2n))³:
//     small time  f(u) = (2πu³)^(−½) Σ_k (½+2k) e^(−(½+2k)²/(2u)) = ½ (2πu³)^(−½) e^(−1/(8u)) G(e^(−1/(2u)))
//     large time  f(u) = π Σ_{k≥1} k e^(−k²π²u/2) sin(kπ/2)       = π e^(−π²u/2) G(e^(−2π²u)).
//   Switching rule: the two nomes are equal at u* = 1/(2π), where q = e^(−π) ≈ 0.043; we use the
//   small-time form for u < u* and the large-time form otherwise, so q ≤ e^(−π) on every call and
//   a FIXED four terms (1 − 3q² + 5q⁶ − 7q¹²) leave a RELATIVE truncation error ≤ 9q²⁰ < 5e-27,
//   i.e. an absolute error on f (max f ≈ 2.2) far below the 1e-10 asked for. This a-priori bound
//   replaces Navarro & Fuss's per-call term-count bounds: it is the nome-equality form of the
//   small/large rule of Gondan, Blurton & Kesselmeier (2014, J Math Psych 60:20), exact for w = ½.
//   Everything is assembled in log space (prefactors as logs; log1p of the theta correction by its
//   Taylor series to x⁷, |x| < 0.0056), so the log density stays finite, not log(0), for tiny and
//   large t (−∞ only for t ≤ 0, t = ∞, or 1/u overflowing). Agrees with a 400-digit mpmath
//   evaluation of both series to ≤ 2e-15 in log f.
//
// Survival S(t) = P(no boundary by decision time t), for missed responses. Eigenfunction (large
// time) series, as for the CDF in Blurton, Kesselmeier & Gondan 2012 (J Math Psych 56:470):
//   S(t) = 4π cosh(V/2) e^(−(V²+π²)u/2) Σ_{m≥0} (−1)^m (2m+1) q^(m(m+1)) / (V² + (2m+1)²π²),
//   q = e^(−2π²u), evaluated in log space and summed until a term is < 1e-17 of the sum (≤ 8 terms
//   at u ≥ 0.04, ≤ 11 at u ≥ 0.02). Its terms cancel by a factor ~e^(1/(8u)) as u → 0, so below
//   u = 0.04 the small-time (method of images) form is used instead, integrating the image
//   expansion of the transition density over (0, A): S = Σ ± e^(weight)·[Φ(b) − Φ(a)] over the
//   start point's images, keeping the five whose size relative to S is > e^(−3/u) (the dropped
//   ones are < e^(−75)); each weighted Gaussian mass is formed from Mills ratios (Cody's erfcx), so
//   neither e^(weight) nor Φ overflows or underflows on its own. When V·u > 2 (V > 50 here) the
//   images start to cancel catastrophically; then for u < 0.02 the lower boundary's share of S is
//   ≲ e^(−1/u) < e^(−50), and the exact single-barrier survival Φ(−x) − e^V Φ(−y) = φ(x)[M(x) − M(y)]
//   is used (in log space), while for 0.02 ≤ u < 0.04 the eigenfunction series is still accurate.
//   Checked against a 400-digit mpmath evaluation on u ∈ [1e-4, 50] × V ∈ [0, 1000]: |Δ log S| ≤
//   2e-15·max(1, |log S|), i.e. far inside the 1e-8 asked for. S depends on |v| only.
//
// Mean decision time (Palmer, Huk & Shadlen 2005, J Vision 5:376; Wagenmakers, van der Maas &
// Grasman 2007, Psychon Bull Rev 14:3, EZ diffusion): E[T] = (A/(2v)) tanh(vA/2) = (A²/4)·tanh(x)/x
// with x = vA/2, by its Taylor series 1 − x²/3 + 2x⁴/15 − 17x⁶/315 for |x| < 0.01 (no 0/0 at v = 0).
//
// Sampler: the choice from ddmChoiceProb, then the decision time by inverting the conditional CDF
// of that boundary, which for w = ½ is the same for both boundaries: 1 − S(t). T solves S(T) = U
// by safeguarded Newton on log S (slope −p(t)/S(t)) inside a bisection bracket, to a relative
// 1e-12 in T (so exact to numerical precision; no Euler random walk). Exactly two uniforms per call.
//
// Micro-benchmark (this 2-core dev machine, Node 20 via npx tsx, 10⁶ calls with t ∈ [0.05, 2.05] s,
// v ∈ [−3, 3], A ∈ [0.5, 2.5], ~18 % small-time; machine shared, so the range over 12 runs):
// ddmLogDensity 0.08–0.17 s per 10⁶ calls (0.08–0.17 µs/call); ddmLogSurvival 0.17–0.23 s per 10⁶;
// sampleDdm ≈ 2.6–3.7 µs per draw.

const LN2 = Math.LN2;
const PI2 = Math.PI * Math.PI;
const LOG_PI = Math.log(Math.PI);
const LOG_4PI = Math.log(4 * Math.PI);
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SQRT_HALF = Math.SQRT1_2;
const SQRT_HALF_PI = Math.sqrt(Math.PI / 2);
/** u* = 1/(2π): small-time density series below, large-time above (equal nomes e^(−π)). */
const U_DENSITY_SWITCH = 1 / (2 * Math.PI);
/** Survival: images below, eigenfunction series at and above. */
const U_SURVIVAL_SWITCH = 0.04;
/** Survival for V·u > 2: single-barrier form below (lower boundary's share ≲ e^(−1/u)), series above. */
const U_SINGLE_BARRIER_MAX = 0.02;

/** P(choice) = σ(choice·v·A) for a centred start. */
export function ddmChoiceProb(choice: 1 | -1, v: number, A: number): number {
  const z = choice * v * A;
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * log G(q) = log(1 − 3q² + 5q⁶ − 7q¹²) for 0 ≤ q ≤ e^(−π) (relative truncation error of G ≤ 9q²⁰).
 * |x| ≤ 3e^(−2π) < 0.0056, so log1p(x) by its Taylor series to x⁷ is exact to < x⁸/8 < 2e-19.
 */
function logTheta(q: number): number {
  const q2 = q * q;
  const q6 = q2 * q2 * q2;
  const x = -3 * q2 + 5 * q6 - 7 * q6 * q6;
  return x * (1 - x * (1 / 2 - x * (1 / 3 - x * (1 / 4 - x * (1 / 5 - x * (1 / 6 - x / 7))))));
}

/**
 * log f(u | ½) from ONE of the two series with `terms` terms of G (for tests and diagnostics;
 * the hot path uses ddmLogStandardDensity). "small" converges fastest for u < 1/(2π), "large" above.
 */
export function ddmLogStandardDensitySeries(u: number, kind: "small" | "large", terms = 4): number {
  const q = kind === "small" ? Math.exp(-0.5 / u) : Math.exp(-2 * PI2 * u);
  let x = 0;
  for (let n = 1; n < terms; n++) x += (n & 1 ? -1 : 1) * (2 * n + 1) * Math.pow(q, n * (n + 1));
  const logG = Math.log1p(x);
  return kind === "small"
    ? -HALF_LOG_2PI - 1.5 * Math.log(u) - LN2 - 0.125 / u + logG
    : LOG_PI - 0.5 * PI2 * u + logG;
}

/** log of the standardised first-passage density f(u | w = ½), series chosen by u. */
export function ddmLogStandardDensity(u: number): number {
  if (u < U_DENSITY_SWITCH) {
    if (!(u > 0)) return u === 0 ? -Infinity : NaN;
    return -HALF_LOG_2PI - 1.5 * Math.log(u) - LN2 - 0.125 / u + logTheta(Math.exp(-0.5 / u));
  }
  if (u === Infinity) return -Infinity;
  return LOG_PI - 0.5 * PI2 * u + logTheta(Math.exp(-2 * PI2 * u));
}

/**
 * log of the defective density of reaching boundary `choice` (+1 upper, −1 lower) at decision
 * time t: ∫₀^∞ exp(·) dt = ddmChoiceProb(choice, v, A). −Infinity for t ≤ 0 (and t = ∞).
 */
export function ddmLogDensity(choice: 1 | -1, t: number, v: number, A: number): number {
  if (t <= 0 || t === Infinity) return -Infinity;
  const u = t / (A * A);
  let logF: number;
  if (u < U_DENSITY_SWITCH) {
    logF = -HALF_LOG_2PI - 1.5 * Math.log(u) - LN2 - 0.125 / u + logTheta(Math.exp(-0.5 / u));
  } else {
    logF = LOG_PI - 0.5 * PI2 * u + logTheta(Math.exp(-2 * PI2 * u));
  }
  return logF - 2 * Math.log(A) + 0.5 * choice * v * A - 0.5 * v * v * t;
}

/** log of the total (both boundaries) first-passage density at t > 0. */
function logDensityTotal(t: number, v: number, A: number): number {
  const V = Math.abs(v * A);
  return (
    ddmLogStandardDensity(t / (A * A)) - 2 * Math.log(A) - 0.5 * v * v * t + logCosh(0.5 * V) + LN2
  );
}

/** log cosh(x) for x ≥ 0. */
function logCosh(x: number): number {
  return x + Math.log1p(Math.exp(-2 * x)) - LN2;
}

// ---------- Gaussian tails (W. J. Cody, Math. Comp. 1969; CALERF, ACM TOMS 715) ----------

/** erfcx(x) = e^(x²) erfc(x) for x ≥ 0, relative error ~1e-16 (Cody's coefficients, rounded to double). */
function erfcx(x: number): number {
  if (x <= 0.46875) {
    const y = x * x;
    let num = 0.18577770618460315 * y;
    let den = y;
    num = (num + 3.1611237438705655) * y;
    den = (den + 23.601290952344122) * y;
    num = (num + 113.86415415105016) * y;
    den = (den + 244.02463793444417) * y;
    num = (num + 377.485237685302) * y;
    den = (den + 1282.6165260773723) * y;
    const erf = (x * (num + 3209.3775891384694)) / (den + 2844.236833439171);
    return Math.exp(y) * (1 - erf);
  }
  if (x <= 4) {
    let num = 2.1531153547440383e-8 * x;
    let den = x;
    num = (num + 0.5641884969886701) * x;
    den = (den + 15.744926110709835) * x;
    num = (num + 8.883149794388377) * x;
    den = (den + 117.6939508913125) * x;
    num = (num + 66.11919063714163) * x;
    den = (den + 537.1811018620099) * x;
    num = (num + 298.6351381974001) * x;
    den = (den + 1621.3895745666903) * x;
    num = (num + 881.952221241769) * x;
    den = (den + 3290.7992357334597) * x;
    num = (num + 1712.0476126340707) * x;
    den = (den + 4362.619090143247) * x;
    num = (num + 2051.0783778260716) * x;
    den = (den + 3439.3676741437216) * x;
    return (num + 1230.3393547979972) / (den + 1230.3393548037495);
  }
  const y = 1 / (x * x);
  let num = 0.016315387137302097 * y;
  let den = y;
  num = (num + 0.30532663496123236) * y;
  den = (den + 2.568520192289822) * y;
  num = (num + 0.36034489994980445) * y;
  den = (den + 1.8729528499234604) * y;
  num = (num + 0.12578172611122926) * y;
  den = (den + 0.5279051029514285) * y;
  num = (num + 0.016083785148742275) * y;
  den = (den + 0.06051834131244132) * y;
  const r = (y * (num + 0.0006587491615298378)) / (den + 0.0023352049762686918);
  return (0.5641895835477563 - r) / x;
}

/** Mills ratio M(x) = Φ(−x)/φ(x) for x ≥ 0. */
function mills(x: number): number {
  return SQRT_HALF_PI * erfcx(x * SQRT_HALF);
}

/** e^(logW)·(Φ(b) − Φ(a)) for a < b, without overflow/underflow of the factors separately. */
function weightedMass(logW: number, a: number, b: number): number {
  if (b <= 0) {
    // Both in the lower tail: Φ(b) − Φ(a) = φ(b)[M(−b) − e^(−(a²−b²)/2) M(−a)].
    const ex = logW - 0.5 * b * b;
    if (ex < -745) return 0;
    return (
      Math.exp(ex) * INV_SQRT_2PI * (mills(-b) - Math.exp(-0.5 * (a - b) * (a + b)) * mills(-a))
    );
  }
  if (a >= 0) {
    const ex = logW - 0.5 * a * a;
    if (ex < -745) return 0;
    return Math.exp(ex) * INV_SQRT_2PI * (mills(a) - Math.exp(-0.5 * (b - a) * (b + a)) * mills(b));
  }
  const tails =
    Math.exp(-0.5 * a * a) * INV_SQRT_2PI * mills(-a) +
    Math.exp(-0.5 * b * b) * INV_SQRT_2PI * mills(b);
  return Math.exp(logW) * (1 - tails);
}

/** log S by the eigenfunction (large-time) series; accurate for u ≳ 0.02. V ≥ 0. */
function logSurvivalLarge(u: number, V: number): number {
  const q = Math.exp(-2 * PI2 * u);
  const q2 = q * q;
  const V2 = V * V;
  let sum = 1 / (V2 + PI2);
  let r = 1; // q^(2m)
  let p = 1; // q^(m(m+1))
  for (let m = 1; m < 400; m++) {
    r *= q2;
    p *= r;
    const k = 2 * m + 1;
    const term = (k * p) / (V2 + k * k * PI2);
    sum += m & 1 ? -term : term;
    if (term < 1e-17 * sum) break;
  }
  return LOG_4PI + logCosh(0.5 * V) - 0.5 * (V2 + PI2) * u + Math.log(sum);
}

/** log S by the method of images; accurate for u ≲ 0.1 with V·u ≤ 2. V ≥ 0. */
function logSurvivalSmall(u: number, V: number): number {
  const s = Math.sqrt(u);
  const h = 0.5 / s;
  const Vs = V * s;
  // c(j) = j/(2√u) − V√u. Images of the start at ½ + 2k (sign +, weight e^(2kV)), k = −1, 0, 1,
  // and at −½ + 2k (sign −, weight e^((2k−1)V)), k = 0, 1; the rest are < e^(−3/u) relative.
  const cm5 = -5 * h - Vs,
    cm3 = -3 * h - Vs,
    cm1 = -h - Vs,
    c1 = h - Vs,
    c3 = 3 * h - Vs,
    c5 = 5 * h - Vs;
  const S =
    weightedMass(0, cm1, c1) +
    weightedMass(2 * V, cm5, cm3) +
    weightedMass(-2 * V, c3, c5) -
    weightedMass(-V, c1, c3) -
    weightedMass(V, cm3, cm1);
  return S > 0 ? Math.log(S) : -Infinity;
}

/** log S for a single absorbing barrier at distance ½ (normalised), drift V toward it; needs V√u > 1/(2√u). */
function logSurvivalSingleBarrier(u: number, V: number): number {
  const s = Math.sqrt(u);
  const h = 0.5 / s;
  const x = V * s - h;
  const y = V * s + h;
  return -0.5 * x * x - HALF_LOG_2PI + Math.log(mills(x) - mills(y));
}

/** log S for normalised time u > 0 and V ≥ 0: the regime rule of the header. */
function logSurvivalAuto(u: number, V: number): number {
  if (u >= U_SURVIVAL_SWITCH || (V * u > 2 && u >= U_SINGLE_BARRIER_MAX))
    return logSurvivalLarge(u, V);
  if (V * u <= 2) return logSurvivalSmall(u, V);
  return logSurvivalSingleBarrier(u, V);
}

/** log S(u) for normalised time u > 0 and V = vA, by the automatic rule or one forced method (tests). */
export function ddmLogSurvivalNormalised(
  u: number,
  V: number,
  method: "auto" | "small" | "large" = "auto",
): number {
  const aV = Math.abs(V);
  if (method === "small") return logSurvivalSmall(u, aV);
  if (method === "large") return logSurvivalLarge(u, aV);
  return logSurvivalAuto(u, aV);
}

/**
 * log P(no boundary reached by decision time t) = log S(t). 0 for t ≤ 0, −Infinity for t = ∞.
 * Symmetric in v.
 */
export function ddmLogSurvival(t: number, v: number, A: number): number {
  if (t <= 0) return 0;
  if (t === Infinity) return -Infinity;
  return logSurvivalAuto(t / (A * A), Math.abs(v * A));
}

/** E[decision time] = (A/(2v))·tanh(vA/2); A²/4 at v = 0. */
export function ddmMeanDecisionTime(v: number, A: number): number {
  const x = 0.5 * v * A;
  const x2 = x * x;
  const r = x2 < 1e-4 ? 1 + x2 * (-1 / 3 + x2 * (2 / 15 - (17 / 315) * x2)) : Math.tanh(x) / x;
  return 0.25 * A * A * r;
}

/**
 * Exact draw of (choice, decision time) given two uniforms from `uniform` (always exactly two per
 * call). If the time exceeds maxT, returns { choice: 0, t: maxT } (no response in the window);
 * P(choice = 0) = S(maxT).
 */
export function sampleDdm(
  v: number,
  A: number,
  uniform: () => number,
  maxT = Infinity,
): { choice: 1 | -1 | 0; t: number } {
  const choice: 1 | -1 = uniform() < ddmChoiceProb(1, v, A) ? 1 : -1;
  // U ∈ (0, 1]; T solves S(T) = U.
  const logU = Math.log(1 - uniform());
  if (logU >= 0) return { choice, t: 0 };
  // Only for a uniform() that breaks its [0, 1) contract by returning 1: S(T) = 0 ⇒ T = ∞.
  if (logU === -Infinity) return maxT < Infinity ? { choice: 0, t: maxT } : { choice, t: Infinity };
  if (maxT < Infinity && ddmLogSurvival(maxT, v, A) > logU) return { choice: 0, t: maxT };
  return { choice, t: solveSurvival(logU, v, A, maxT) };
}

/** T with log S(T) = logU < 0, T ≤ maxT (the caller checked the bracket when maxT is finite). */
function solveSurvival(logU: number, v: number, A: number, maxT: number): number {
  let lo = 0;
  let hi: number;
  let t = ddmMeanDecisionTime(v, A);
  if (maxT < Infinity) {
    hi = maxT;
    if (t > hi) t = 0.5 * hi;
  } else {
    hi = 2 * t;
    while (ddmLogSurvival(hi, v, A) > logU) {
      lo = hi;
      hi *= 2;
    }
    t = 0.5 * (lo + hi);
  }
  for (let i = 0; i < 200; i++) {
    const logS = ddmLogSurvival(t, v, A);
    const g = logS - logU;
    if (g > 0) lo = t;
    else if (g < 0) hi = t;
    else return t;
    // Newton step on log S: d log S / dt = −p(t)/S(t).
    const slope = -Math.exp(logDensityTotal(t, v, A) - logS);
    let next = t - g / slope;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 1e-12 * t || hi - lo <= 1e-12 * hi) return next;
    t = next;
  }
  return t;
}
