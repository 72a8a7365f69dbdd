// Uncertainty over units for statistics built from sums (error rate = errors / n, mean RT = RT sum /
// RT count, mean loss): a unit is one participant (humans) or one model stream (one model seed).
//  - Participants: percentile bootstrap over participants (resample participants with replacement,
//    recompute the pooled statistic exactly as the point estimate is computed), seeded RNG, so the
//    same data always give the same interval.
//  - Model streams: ± 1 standard error over streams (each stream is one seed; the spread between
//    seeds is what a reader needs to judge a model curve).
// A statistic is any function of the pooled ratios (a ratio itself, a switch − repeat difference, a
// least-squares slope over switches), so every number on the dashboard gets its interval the same way.
import { leastSquaresSlope } from "./analysis";
import { createRng } from "./rng";

/** Per unit, the numerator and denominator of every named ratio (missing = no data). */
export class UnitTable {
  private readonly index = new Map<string, number>();
  private readonly unitIndex = new Map<string, number>();
  private cells = new Map<number, [number, number]>(); // k·2^20 + u → [num, den]
  private dense: { num: Float64Array; den: Float64Array } | null = null;

  add(unit: string, key: string, num: number, den: number) {
    if (den <= 0) return;
    let u = this.unitIndex.get(unit);
    if (u === undefined) this.unitIndex.set(unit, (u = this.unitIndex.size));
    let k = this.index.get(key);
    if (k === undefined) this.index.set(key, (k = this.index.size));
    const id = k * 2 ** 20 + u;
    const c = this.cells.get(id);
    if (c) {
      c[0] += num;
      c[1] += den;
    } else this.cells.set(id, [num, den]);
    this.dense = null;
  }

  get units(): number {
    return this.unitIndex.size;
  }

  keys(): IterableIterator<string> {
    return this.index.keys();
  }

  keyIndex(key: string): number | undefined {
    return this.index.get(key);
  }

  /** Key-major dense arrays (entry k·U + u), built once after the last add. */
  private arrays() {
    if (!this.dense) {
      const U = this.units;
      const K = this.index.size;
      const num = new Float64Array(K * U);
      const den = new Float64Array(K * U);
      for (const [id, [n, d]] of this.cells) {
        const k = Math.floor(id / 2 ** 20);
        const u = id - k * 2 ** 20;
        num[k * U + u] = n;
        den[k * U + u] = d;
      }
      this.dense = { num, den };
    }
    return this.dense;
  }

  /** Units with data for `key` (the n behind a point). */
  unitsWith(key: string): number {
    const k = this.index.get(key);
    if (k === undefined) return 0;
    const { den } = this.arrays();
    let n = 0;
    for (let u = 0; u < this.units; u++) if (den[k * this.units + u] > 0) n++;
    return n;
  }

  /** Pooled ratio per key under unit weights w (no weights: every unit once, the point estimate). */
  pooled(weights?: ArrayLike<number>): Float64Array {
    const U = this.units;
    const K = this.index.size;
    const { num, den } = this.arrays();
    const out = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      let sn = 0,
        sd = 0;
      const base = k * U;
      if (weights)
        for (let u = 0; u < U; u++) {
          const w = weights[u];
          if (w !== 0) {
            sn += w * num[base + u];
            sd += w * den[base + u];
          }
        }
      else
        for (let u = 0; u < U; u++) {
          sn += num[base + u];
          sd += den[base + u];
        }
      out[k] = sd > 0 ? sn / sd : NaN;
    }
    return out;
  }

  /** One unit's own ratios. */
  ofUnit(u: number): Float64Array {
    const U = this.units;
    const { num, den } = this.arrays();
    return Float64Array.from({ length: this.index.size }, (_, k) =>
      den[k * U + u] > 0 ? num[k * U + u] / den[k * U + u] : NaN,
    );
  }
}

/** A statistic of the pooled ratios; `r(key)` is NaN where the key has no data. */
export type Statistic = (r: (key: string) => number) => number;

export type Interval = { estimate: number | null; lo: number | null; hi: number | null };

export type IntervalMethod =
  { kind: "bootstrap"; resamples?: number; seed?: number; level?: number } | { kind: "se" };

const finite = (x: number) => (Number.isFinite(x) ? x : null);

function quantile(sorted: number[], p: number): number {
  const i = (sorted.length - 1) * p;
  const lo = Math.floor(i);
  return sorted[lo] + (sorted[Math.min(sorted.length - 1, lo + 1)] - sorted[lo]) * (i - lo);
}

/**
 * Point estimate and interval of each statistic. Bootstrap: percentile interval (default 95 %,
 * 1000 resamples, seed 1); needs ≥ 2 units. SE: estimate ± 1 SE of the statistic over units.
 */
export function intervals(
  table: UnitTable,
  stats: Record<string, Statistic>,
  method: IntervalMethod,
): Record<string, Interval> {
  const read = (ratios: Float64Array) => (key: string) => {
    const k = table.keyIndex(key);
    return k === undefined ? NaN : ratios[k];
  };
  const point = read(table.pooled());
  const names = Object.keys(stats);
  const out: Record<string, Interval> = {};
  for (const name of names)
    out[name] = { estimate: finite(stats[name](point)), lo: null, hi: null };
  const U = table.units;
  if (U < 2) return out;
  const samples: number[][] = names.map(() => []);
  if (method.kind === "bootstrap") {
    const rng = createRng(method.seed ?? 1);
    const B = method.resamples ?? 1000;
    const w = new Int32Array(U);
    for (let b = 0; b < B; b++) {
      w.fill(0);
      for (let i = 0; i < U; i++) w[rng.int(U)]++;
      const r = read(table.pooled(w));
      names.forEach((name, s) => {
        const v = stats[name](r);
        if (Number.isFinite(v)) samples[s].push(v);
      });
    }
    const a = (1 - (method.level ?? 0.95)) / 2;
    names.forEach((name, s) => {
      const xs = samples[s].sort((x, y) => x - y);
      if (xs.length < 2 || out[name].estimate === null) return;
      out[name] = { ...out[name], lo: quantile(xs, a), hi: quantile(xs, 1 - a) };
    });
  } else {
    for (let u = 0; u < U; u++) {
      const r = read(table.ofUnit(u));
      names.forEach((name, s) => {
        const v = stats[name](r);
        if (Number.isFinite(v)) samples[s].push(v);
      });
    }
    names.forEach((name, s) => {
      const xs = samples[s];
      const e = out[name].estimate;
      if (xs.length < 2 || e === null) return;
      const m = xs.reduce((p, q) => p + q, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((p, q) => p + (q - m) ** 2, 0) / (xs.length - 1));
      const se = sd / Math.sqrt(xs.length);
      out[name] = { estimate: e, lo: e - se, hi: e + se };
    });
  }
  return out;
}

/** Statistic helpers. */
export const ratio =
  (key: string): Statistic =>
  (r) =>
    r(key);
export const difference =
  (a: string, b: string): Statistic =>
  (r) =>
    r(a) - r(b);
/** Least-squares slope of ratios over x (e.g. post-switch error over switch k); NaN if undefined. */
export const slope =
  (points: readonly (readonly [number, string])[]): Statistic =>
  (r) =>
    leastSquaresSlope(
      points.flatMap(([x, key]) => (Number.isFinite(r(key)) ? [[x, r(key)] as const] : [])),
    ) ?? NaN;

/** How an interval method is worded under a chart. */
export function describeMethod(method: IntervalMethod, units: number): string {
  return method.kind === "bootstrap"
    ? `95% bootstrap CI over ${units} participant${units === 1 ? "" : "s"} (${method.resamples ?? 1000} resamples, seed ${method.seed ?? 1})`
    : `± 1 SE over ${units} model stream${units === 1 ? "" : "s"} (one seed each)`;
}
