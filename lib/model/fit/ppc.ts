// Posterior predictive checks of every fitted model (docs/fitting.md "Goodness of fit"): predicted
// vs observed accuracy, error and mean-RT curves after a switch per practice level (curves.ts), and
// RT quantiles. Predictions mix a model's S trajectories by their posterior weight given the data
// (as the likelihood marginalises over them). Accuracy and curves are exact expectations; the RT
// quantiles come from REPLICAS seeded simulated data sets of the fitted model (ddm link only).
import { createRng } from "@/lib/core/rng";

import type { StimulusSequence } from "../stimulus-trials";

import { ddmMeanDecisionTime } from "./ddm";
import { type FitCurvePoint, fitRecoveryCurves } from "./curves";
import { type FitData, choiceProb, initWeights, sampleDdmData } from "./likelihood";
import type { LinkName, ModelName, Theta } from "./transforms";

export const RT_QUANTILES = [0.1, 0.3, 0.5, 0.7, 0.9];
const REPLICAS = 4;
/** Practice levels of the curves: early, middle and late switches. */
export const PPC_LEVELS = 3;

export type PpcStats = { accuracy: number; rtQuantiles: number[] | null };
export type PpcSummary = {
  observed: PpcStats;
  predicted: Partial<Record<ModelName, PpcStats>>;
  curves: FitCurvePoint[];
};

/** A fitted model's trajectories (S per θ) and θ, as the PPC needs them. */
export type FittedTrajectories = { theta: Theta; outputs: Float64Array[] };

function quantiles(xs: number[]): number[] | null {
  if (xs.length < 10) return null;
  const s = [...xs].sort((a, b) => a - b);
  return RT_QUANTILES.map((q) => s[Math.min(s.length - 1, Math.floor(q * s.length))]);
}

const respondedRts = (d: FitData) =>
  d.rts ? [...d.rts].filter((r, t) => d.choices[t] !== 0 && Number.isFinite(r)) : [];

export function posteriorPredictive(
  seq: StimulusSequence,
  data: FitData,
  link: LinkName,
  fitted: Partial<Record<ModelName, FittedTrajectories>>,
  seed: number,
): PpcSummary {
  const N = seq.trials.length;
  const sign = seq.trials.map((t) => (t.target[0] > 0 ? 1 : -1) as 1 | -1);
  let nResp = 0,
    nCorrect = 0;
  data.choices.forEach((c, t) => {
    if (c === 0) return;
    nResp++;
    if (c === sign[t]) nCorrect++;
  });
  const predictedCorrect: Record<string, Float64Array> = {};
  const predictedRt: Record<string, Float64Array> = {};
  const predicted: PpcSummary["predicted"] = {};
  const withRt = link === "ddm" && !!data.rts && !!data.responseWindowS;
  for (const [model, f] of Object.entries(fitted) as [ModelName, FittedTrajectories][]) {
    const { theta, outputs } = f;
    const w = initWeights(outputs, data, link, theta);
    const pc = new Float64Array(N),
      rt = new Float64Array(N);
    outputs.forEach((y, s) => {
      for (let t = 0; t < N; t++) {
        pc[t] += w[s] * choiceProb(y[t], sign[t], theta.beta!, theta.lapse!);
        if (withRt) {
          const v = Number.isFinite(y[t]) ? (theta.beta! / theta.bound!) * y[t] : 0;
          const ddmRt = theta.ndt! + ddmMeanDecisionTime(v, theta.bound!);
          rt[t] += w[s] * (theta.lapse! * (data.responseWindowS! / 2) + (1 - theta.lapse!) * ddmRt);
        }
      }
    });
    predictedCorrect[model] = pc;
    predictedRt[model] = rt;
    let acc = 0;
    data.choices.forEach((c, t) => c !== 0 && (acc += pc[t]));
    let rtQuantiles: number[] | null = null;
    if (withRt) {
      const rng = createRng(seed);
      const sims: number[] = [];
      for (let r = 0; r < REPLICAS; r++) {
        // one trajectory per replica, drawn by its posterior weight
        let u = rng.next(),
          s = 0;
        while (s < w.length - 1 && u > w[s]) u -= w[s++];
        sims.push(
          ...respondedRts(sampleDdmData(outputs[s], theta, data.responseWindowS!, rng.next)),
        );
      }
      rtQuantiles = quantiles(sims);
    }
    predicted[model] = { accuracy: nResp ? acc / nResp : NaN, rtQuantiles };
  }
  return {
    observed: {
      accuracy: nResp ? nCorrect / nResp : NaN,
      rtQuantiles: withRt ? quantiles(respondedRts(data)) : null,
    },
    predicted,
    curves: fitRecoveryCurves(seq, data.choices, predictedCorrect, {
      levels: PPC_LEVELS,
      ...(withRt ? { rt: { observed: data.rts!, predicted: predictedRt } } : {}),
    }),
  };
}
