// Does a (simulated) participant's mechanism show in 480 trials? The Fig. 8 signature statistics of
// docs/model.md ("Stimulus presets: search and result"; lib/model/stimulus-search.ts) for ONE
// parameter set on ONE curriculum, from the float64 engine: gate separation |c₁ − c₂| at the ends of
// the last 5 blocks, alternation of the leading gate over the last 10 block ends, and the model's
// post-switch error (first J trials after each switch, deterministic sign(ŷ) read-out) early
// (switches 1–4) vs late (last 5 switches). Used by the recovery design (docs/fitting.md) to say which
// generating participants have a flexibility that the data can show at all.
import type { ModelParams } from "../config";
import type { StimulusSequence } from "../stimulus-trials";

import { type FitArch, simulateOutputsJs } from "./engine";

export type MechanismStats = {
  gateSeparation: number;
  gateAlternation: number;
  early: number;
  late: number;
  accuracy: number;
};

const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);

export function mechanismStats(
  arch: FitArch,
  p: ModelParams,
  seq: StimulusSequence,
  seed: number,
  J = 5,
): MechanismStats {
  const P = arch.paths,
    N = seq.trials.length;
  const gates = new Float64Array(N * P);
  const y = simulateOutputsJs(arch, p, seq, seed, 0, gates);
  const correct = seq.trials.map((t, i) =>
    Number.isFinite(y[i]) && y[i] * t.target[0] > 0 ? 1 : 0,
  );
  const blocks = Math.max(...seq.trials.map((t) => t.blockIndex)) + 1;
  const lastOfBlock = Array.from({ length: blocks }, (_, b) =>
    seq.trials.findLastIndex((t) => t.blockIndex === b),
  );
  const firstOfBlock = Array.from({ length: blocks }, (_, b) =>
    seq.trials.findIndex((t) => t.blockIndex === b),
  );
  const perSwitch = Array.from(
    { length: blocks - 1 },
    (_, k) => 1 - mean(correct.slice(firstOfBlock[k + 1], firstOfBlock[k + 1] + J)),
  );
  const g = (t: number, q: number) => gates[t * P + q];
  const sep = mean(lastOfBlock.slice(-5).map((t) => Math.abs(g(t, 0) - g(t, 1))));
  const lead = lastOfBlock.slice(-10).map((t) => (g(t, 0) > g(t, 1) ? 0 : 1));
  return {
    gateSeparation: Number.isFinite(sep) ? sep : 0,
    gateAlternation: mean(lead.slice(1).map((l, i) => (l !== lead[i] ? 1 : 0))),
    early: mean(perSwitch.slice(0, 4)),
    late: mean(perSwitch.slice(-5)),
    accuracy: mean(correct),
  };
}

/** The Fig. 8 signature thresholds of docs/model.md (early − late ≥ 0.1, separation ≥ 0.5, alternation ≥ 0.8). */
export const showsMechanism = (s: MechanismStats): boolean =>
  s.early - s.late >= 0.1 && s.gateSeparation >= 0.5 && s.gateAlternation >= 0.8;
