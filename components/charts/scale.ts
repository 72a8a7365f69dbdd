// Axis arithmetic shared by every chart: round ("nice") ticks, their labels, and one y-domain for
// panels shown side by side. Pure functions (tested in scale.test.ts).

export type Domain = [number, number];
export type ChartRow = Record<string, number | null | undefined>;

/** A round step (1, 2, 2.5 or 5 × 10^k) that splits `span` into about `target` intervals. */
export function niceStep(span: number, target = 5): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * mag;
}

/** Decimals needed to print multiples of `step` exactly (0.25 → 2, 5 → 0). */
export function stepDecimals(step: number): number {
  for (let d = 0; d <= 10; d++)
    if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6) return d;
  return 10;
}

/** Round ticks covering [min, max]: the domain is widened to whole steps. `integer` forces steps ≥ 1. */
export function niceTicks(
  min: number,
  max: number,
  target = 5,
  integer = false,
): { domain: Domain; ticks: number[]; step: number; decimals: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return niceTicks(0, 1, target, integer);
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    [min, max] = [min - (min >= 0 && min - pad < 0 ? min : pad), max + pad];
  }
  let step = niceStep(max - min, target);
  if (integer) step = Math.max(1, Math.round(step));
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const decimals = stepDecimals(step);
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toFixed(decimals)));
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks, step, decimals };
}

/** Tick label with the decimals of the step ("0.25", "500", never "475.0" or "8.0275…"). */
export const tickLabel = (decimals: number) => (v: unknown) =>
  typeof v === "number" ? v.toFixed(decimals) : String(v);

/** Smallest and largest finite value of `keys` over `rows` (null when there is none). */
/** The row keys a chart's series draw: each line and its band's two ends. */
export const seriesKeys = (d: { series: readonly { key: string; band?: [string, string] }[] }) =>
  d.series.flatMap((s) => [s.key, ...(s.band ?? [])]);

export function extentOf(rows: readonly ChartRow[], keys: readonly string[]): Domain | null {
  let lo = Infinity,
    hi = -Infinity;
  for (const r of rows)
    for (const k of keys) {
      const v = r[k];
      if (typeof v === "number" && Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * One y-domain for several panels compared side by side (their extents joined), starting at 0 when
 * `fromZero` (error rates, losses, costs that cannot be negative); null when no panel has data.
 */
export function sharedDomain(extents: readonly (Domain | null)[], fromZero = false): Domain | null {
  const present = extents.filter((e): e is Domain => e !== null);
  if (present.length === 0) return null;
  let lo = Math.min(...present.map((e) => e[0]));
  const hi = Math.max(...present.map((e) => e[1]));
  if (fromZero) lo = Math.min(0, lo);
  return niceTicks(lo, hi).domain;
}
