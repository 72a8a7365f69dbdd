// Response-time distributions of the zoo's simulated people: ex-Gaussian (a Gaussian plus an
// exponential tail: the standard descriptive fit of choice RTs, e.g. Ratcliff 1979), with a
// per-participant draw of its parameters.
import type { Rng } from "@/lib/core/rng";

import { uniform } from "./types";

export type ExGaussian = { mu: number; sigma: number; tau: number };

/** A human-like choice-RT distribution: mean ≈ 550–800 ms, SD ≈ 100–220 ms. */
export function drawExGaussian(rng: Rng): ExGaussian {
  return { mu: uniform(rng, 420, 580), sigma: uniform(rng, 35, 75), tau: uniform(rng, 80, 200) };
}

/** One draw (ms), never below 150 ms (the fastest plausible reading of a digit). */
export function sampleExGaussian(d: ExGaussian, rng: Rng, shift = 0): number {
  const x = d.mu + shift + d.sigma * rng.normal() - d.tau * Math.log(1 - rng.next());
  return Math.max(150, x);
}
