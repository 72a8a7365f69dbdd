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

export type Ratio = { num: number; den: number };

/** Per unit, the numerator and denominator of every named ratio (missing = no data). */
export class UnitTable {
  private readonly index = new Map<string, number>();
  private readonly unitIndex = new Map<string, number>();
  private num: number[][] = [];
  private den: number[][] = [];

  add(unit: string, key: string, num: number, den: number) {
    if (den <= 0) return;
    let u = this.unitIndex.get(unit);
    if (u === undefined) {
      u = this.unitIndex.size;
      this.unitIndex.set(unit, u);
      this.num.push([]);
      this.den.push([]);
    }
    let k = this.index.get(key);
    if (k === undefined) {
      k = this.index.size;
      this.index.set(key, k);
    }
    this.num[u][k] = (this.num[u][k] ?? 0) + num;
    this.den[u][k] = (this.den[u][k] ?? 0) + den;
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

  /** Units with data for `key` (the n behind a point). */
  unitsWith(key: string): number {
    const k = this.index.get(key);
    if (k === undefined) return 0;
    return this.den.filter((d) => (d[k] ?? 0) > 0).length;
  }

  /** Pooled ratio per key under unit weights w (w = 1 for every unit: the point estimate). */
  pooled(weights?: ArrayLike<number>): Float64Array {
    const K = this.index.size;
    const num = new Float64Array(K);
    const den = new Float64Array(K);
    for (let u = 0; u < this.num.length; u++) {
      const w = weights ? weights[u] : 1;
      if (w === 0) continue;
      const nu = this.num[u],
        de = this.den[u];
      for (let k = 0; k < K; k++) {
        const d = de[k];
        if (d) {
          num[k] += w * nu[k];
          den[k] += w * d;
        }
      }
    }
    return num.map((x, k) => (den[k] > 0 ? x / den[k] : NaN));
  }

  /** One unit's own ratios. */
  ofUnit(u: number): Float64Array {
    const K = this.index.size;
    return Float64Array.from({ length: K }, (_, k) =>
      this.den[u][k] ? this.num[u][k] / this.den[u][k] : NaN,
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
    const w = new Float64Array(U);
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
