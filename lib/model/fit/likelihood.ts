// Choice likelihood linking the model's output to a participant's key presses (docs/science.md
// §10.5; docs/science.md §11, "standard psychometric link" with a lapse):
//   p(choice_t) = lapse/2 + (1 − lapse) · σ(β · ŷ_t · s_t),   s_t = +1 right key, −1 left key
// ŷ_t is the model's output on trial t BEFORE that trial's update (the model answers, then learns from
// the true target like the participant learns from feedback). Missed responses (null, or a key that
// is neither response key) carry no choice: they are skipped in the likelihood (s_t = 0), although the
// model still learns from that trial (the curriculum is the same for every trial).
//
// Second stage, link "ddm" (docs/science.md §11; issue 6 "response times through a drift-diffusion
// link"): a response is a first passage of a drift-diffusion process with drift v_t = (β/A)·ŷ_t toward
// the right-key boundary, boundary separation A, noise σ = 1, unbiased start, plus a non-decision
// time T_er. Its choice probability is σ(v·A) = σ(β·ŷ·s) — the choice link above — and the time adds
// a continuous readout of |ŷ_t| on every trial. With probability `lapse` the key is a coin flip at a
// uniform time in the response window W. A trial with no response within W scores the probability
// that the process has not finished by W (lapses always answer); a key that is neither response key
// is skipped, as in the choice link.
import type { StimulusSequence } from "../stimulus-trials";

import { ddmLogDensity, ddmLogSurvival, sampleDdm } from "./ddm";
import type { LinkName, Theta } from "./transforms";

/** +1 right key, −1 left key, 0 no usable response (skipped). */
export type Choice = 1 | -1 | 0;

/** Human responses (key or null) by main-phase trialIndex → choices aligned with the sequence. */
export function choicesFor(
  seq: StimulusSequence,
  responses: ReadonlyMap<number, string | null>,
): Int8Array {
  return Int8Array.from(seq.trials, (t) => {
    const r = responses.get(t.trialIndex);
    return r === seq.keys.right ? 1 : r === seq.keys.left ? -1 : 0;
  });
}

export const countChoices = (choices: Int8Array): number =>
  choices.reduce((n, s) => n + (s !== 0 ? 1 : 0), 0);

/**
 * A participant's data aligned with the model's sequence. `choices` alone → the choice link.
 * With `rts` (seconds; +Infinity where no key came within the window; NaN where the trial carries no
 * usable response) and `responseWindowS`, the ddm link can score response times as well.
 */
export type FitData = { choices: Int8Array; rts?: Float64Array; responseWindowS?: number };

/** Responses (key or null) and response times (ms or null) by main-phase trialIndex → FitData. */
export function fitDataFor(
  seq: StimulusSequence,
  trials: ReadonlyMap<number, { response: string | null; rtMs: number | null }>,
  responseWindowMs: number,
): FitData {
  const choices = choicesFor(seq, new Map([...trials].map(([i, t]) => [i, t.response])));
  const rts = Float64Array.from(seq.trials, (t, i) => {
    const rec = trials.get(t.trialIndex);
    if (!rec || rec.response === null) return rec ? Infinity : NaN; // missed in the window; not stored: skip
    return choices[i] !== 0 && rec.rtMs !== null ? rec.rtMs / 1000 : NaN;
  });
  return { choices, rts, responseWindowS: responseWindowMs / 1000 };
}

/** Trials that contribute a likelihood term under a link (BIC's n). */
export function countObservations(data: FitData, link: LinkName): number {
  if (link === "choice") return countChoices(data.choices);
  const { choices, rts } = requireRts(data);
  let n = 0;
  for (let t = 0; t < choices.length; t++)
    if ((choices[t] !== 0 && Number.isFinite(rts[t])) || rts[t] === Infinity) n++;
  return n;
}

function requireRts(data: FitData): { choices: Int8Array; rts: Float64Array; window: number } {
  if (!data.rts || !data.responseWindowS)
    throw new Error("The ddm link needs response times and the response window");
  if (data.rts.length !== data.choices.length)
    throw new Error(
      `rts (${data.rts.length}) and choices (${data.choices.length}) differ in length`,
    );
  return { choices: data.choices, rts: data.rts, window: data.responseWindowS };
}

/**
 * Σ_t log p(choice_t, rt_t) under the ddm link (see the header), for each trajectory in `outputsPerInit`.
 * The first-passage density factorises as log p = [log f(u_t) − 2 log A] + s·vA/2 − v²·dt/2 with
 * u_t = dt/A² (ddm.ts): the bracket does not depend on the drift, so it is computed once per trial
 * and shared by every initialisation; only the cheap drift terms are per trajectory.
 */
export function ddmLogLikelihoods(
  outputsPerInit: readonly ArrayLike<number>[],
  data: FitData,
  beta: number,
  lapse: number,
  bound: number,
  ndt: number,
): number[] {
  const { choices, rts, window } = requireRts(data);
  const N = choices.length;
  const kappa = beta / bound;
  const lapseDensity = lapse / (2 * window);
  const log1mLapse = Math.log1p(-lapse);
  const base = new Float64Array(N); // log f(u_t) − 2 log A + log(1 − lapse), or −∞ for dt ≤ 0
  const dts = new Float64Array(N);
  for (let t = 0; t < N; t++) {
    const dt = rts[t] - ndt;
    dts[t] = dt;
    if (choices[t] !== 0 && Number.isFinite(rts[t]))
      base[t] = dt > 0 ? ddmLogDensity(1, dt, 0, bound) + log1mLapse : -Infinity;
  }
  return outputsPerInit.map((outputs) => {
    if (outputs.length !== N)
      throw new Error(`outputs (${outputs.length}) and choices (${N}) differ in length`);
    let ll = 0;
    for (let t = 0; t < N; t++) {
      const s = choices[t],
        rt = rts[t];
      const v = Number.isFinite(outputs[t]) ? kappa * outputs[t] : 0;
      if (rt === Infinity) {
        ll += log1mLapse + ddmLogSurvival(window - ndt, v, bound); // no key within the window
      } else if (s !== 0 && Number.isFinite(rt)) {
        // lapse (uniform key and time) + (1 − lapse)·first passage; exp(·) only underflows where the lapse term dominates
        const logDdm = base[t] + 0.5 * s * v * bound - 0.5 * v * v * dts[t];
        ll += Math.log(lapseDensity + Math.exp(logDdm));
      }
    }
    return ll;
  });
}

/** Σ_t log p(choice_t, rt_t) of one trajectory under the ddm link. */
export function ddmLogLikelihood(
  outputs: ArrayLike<number>,
  data: FitData,
  beta: number,
  lapse: number,
  bound: number,
  ndt: number,
): number {
  return ddmLogLikelihoods([outputs], data, beta, lapse, bound, ndt)[0];
}

/** Log-likelihood of one trajectory under a link and its parameters (θ holds β, lapse and the link's own). */
export function linkLogLikelihood(
  outputs: ArrayLike<number>,
  data: FitData,
  link: LinkName,
  theta: Theta,
): number {
  return link === "ddm"
    ? ddmLogLikelihood(outputs, data, theta.beta!, theta.lapse!, theta.bound!, theta.ndt!)
    : logLikelihood(outputs, data.choices, theta.beta!, theta.lapse!);
}

/** log (1/S) Σ_s exp(ll_s), stable. */
export function logMeanExp(lls: readonly number[]): number {
  const m = Math.max(...lls);
  if (!Number.isFinite(m)) return m;
  return m + Math.log(lls.reduce((s, v) => s + Math.exp(v - m), 0) / lls.length);
}

/** Log-likelihood of each trajectory (one per initialisation) under a link. */
export function linkLogLikelihoods(
  outputsPerInit: readonly ArrayLike<number>[],
  data: FitData,
  link: LinkName,
  theta: Theta,
): number[] {
  return link === "ddm"
    ? ddmLogLikelihoods(outputsPerInit, data, theta.beta!, theta.lapse!, theta.bound!, theta.ndt!)
    : outputsPerInit.map((o) => logLikelihood(o, data.choices, theta.beta!, theta.lapse!));
}

/** marginalLogLikelihood for any link (see below). */
export function marginalLinkLogLikelihood(
  outputsPerInit: readonly ArrayLike<number>[],
  data: FitData,
  link: LinkName,
  theta: Theta,
): number {
  return logMeanExp(linkLogLikelihoods(outputsPerInit, data, link, theta));
}

/** Probability of choice s given output y. A non-finite output (a diverged model) predicts chance. */
export function choiceProb(y: number, s: 1 | -1, beta: number, lapse: number): number {
  const z = Number.isFinite(y) ? beta * y * s : 0;
  return lapse / 2 + (1 - lapse) / (1 + Math.exp(-z)); // σ(z); exp overflow → σ = 0 exactly, the lapse term remains
}

/** Σ_t log p(choice_t) over trials with a choice. */
export function logLikelihood(
  outputs: ArrayLike<number>,
  choices: Int8Array,
  beta: number,
  lapse: number,
): number {
  if (outputs.length !== choices.length)
    throw new Error(`outputs (${outputs.length}) and choices (${choices.length}) differ in length`);
  let ll = 0;
  for (let t = 0; t < choices.length; t++) {
    const s = choices[t];
    if (s === 0) continue;
    ll += Math.log(choiceProb(outputs[t], s as 1 | -1, beta, lapse));
  }
  return ll;
}

/**
 * Marginal log-likelihood over the model's initialisation noise: log (1/S) Σ_s Π_t p(choice_t | ŷ^(s)),
 * a Monte-Carlo estimate over S initial weight draws (seed indices 0…S−1). The model's gates break
 * their symmetry from the tiny initial weights, and WHEN the paths specialise depends on that draw,
 * so for a flexible participant one fixed draw can miss the participant's trajectory by tens of log
 * units (docs/fitting.md "Initialisation noise"). The participant's own draw is unknown: marginalise it.
 */
export function marginalLogLikelihood(
  outputsPerInit: readonly ArrayLike<number>[],
  choices: Int8Array,
  beta: number,
  lapse: number,
): number {
  return logMeanExp(outputsPerInit.map((o) => logLikelihood(o, choices, beta, lapse)));
}

/** Posterior weights of the S initialisations given the data (for predictions that mix them). */
export function initWeights(
  outputsPerInit: readonly ArrayLike<number>[],
  data: FitData,
  link: LinkName,
  theta: Theta,
): number[] {
  const lls = linkLogLikelihoods(outputsPerInit, data, link, theta);
  const m = Math.max(...lls);
  const w = lls.map((v) => Math.exp(v - m));
  const z = w.reduce((s, v) => s + v, 0);
  return w.map((v) => v / z);
}

/** P(the correct key) per trial: the model-predicted accuracy curve for a fitted (β, lapse). */
export function predictedCorrect(
  outputs: ArrayLike<number>,
  seq: StimulusSequence,
  beta: number,
  lapse: number,
): Float64Array {
  return Float64Array.from(seq.trials, (t, i) =>
    choiceProb(outputs[i], t.target[0] > 0 ? 1 : -1, beta, lapse),
  );
}

/** Draw choices from the likelihood (simulated participants). `uniform` returns U[0, 1). */
export function sampleChoices(
  outputs: ArrayLike<number>,
  beta: number,
  lapse: number,
  uniform: () => number,
): Int8Array {
  return Int8Array.from({ length: outputs.length }, (_, t) =>
    uniform() < choiceProb(outputs[t], 1, beta, lapse) ? 1 : -1,
  );
}

/**
 * Draw a simulated participant's data from the ddm link: per trial, a lapse (coin-flip key at a
 * uniform time in the window) with probability `lapse`, otherwise a first passage of the diffusion
 * (no key within the window → choice 0, rt +Infinity).
 */
export function sampleDdmData(
  outputs: ArrayLike<number>,
  theta: Theta,
  responseWindowS: number,
  uniform: () => number,
): FitData {
  const { beta, lapse, bound, ndt } = theta as Required<
    Pick<Theta, "beta" | "lapse" | "bound" | "ndt">
  >;
  const choices = new Int8Array(outputs.length),
    rts = new Float64Array(outputs.length);
  for (let t = 0; t < outputs.length; t++) {
    if (uniform() < lapse) {
      choices[t] = uniform() < 0.5 ? 1 : -1;
      rts[t] = uniform() * responseWindowS;
      continue;
    }
    const v = Number.isFinite(outputs[t]) ? (beta / bound) * outputs[t] : 0;
    const d = sampleDdm(v, bound, uniform, Math.max(0, responseWindowS - ndt));
    choices[t] = d.choice;
    rts[t] = d.choice === 0 ? Infinity : ndt + d.t;
  }
  return { choices, rts, responseWindowS };
}
