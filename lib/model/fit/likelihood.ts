// Choice likelihood linking the model's output to a participant's key presses (DESIGN.md science
// decision 5; human-paradigm.md §3, "standard psychometric link" with a lapse):
//   p(choice_t) = lapse/2 + (1 − lapse) · σ(β · ŷ_t · s_t),   s_t = +1 right key, −1 left key
// ŷ_t is the model's output on trial t BEFORE that trial's update (the model answers, then learns from
// the true target like the participant learns from feedback). Missed responses (null, or a key that
// is neither response key) carry no choice: they are skipped in the likelihood (s_t = 0), although the
// model still learns from that trial (the curriculum is the same for every trial).
import type { StimulusSequence } from "../stimulus-trials";

/** +1 right key, −1 left key, 0 no usable response (skipped). */
export type Choice = 1 | -1 | 0;

/** Human responses (key or null) by main-phase trialIndex → choices aligned with the sequence. */
export function choicesFor(seq: StimulusSequence, responses: ReadonlyMap<number, string | null>): Int8Array {
  return Int8Array.from(seq.trials, (t) => {
    const r = responses.get(t.trialIndex);
    return r === seq.keys.right ? 1 : r === seq.keys.left ? -1 : 0;
  });
}

export const countChoices = (choices: Int8Array): number => choices.reduce((n, s) => n + (s !== 0 ? 1 : 0), 0);

/** log σ(z), stable for large |z|. */
export const logSigmoid = (z: number): number => (z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z)));

/** Probability of choice s given output y. A non-finite output (a diverged model) predicts chance. */
export function choiceProb(y: number, s: 1 | -1, beta: number, lapse: number): number {
  const z = Number.isFinite(y) ? beta * y * s : 0;
  return lapse / 2 + (1 - lapse) * Math.exp(logSigmoid(z));
}

/** Σ_t log p(choice_t) over trials with a choice. */
export function logLikelihood(outputs: ArrayLike<number>, choices: Int8Array, beta: number, lapse: number): number {
  if (outputs.length !== choices.length) throw new Error(`outputs (${outputs.length}) and choices (${choices.length}) differ in length`);
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
export function marginalLogLikelihood(outputsPerInit: readonly ArrayLike<number>[], choices: Int8Array, beta: number, lapse: number): number {
  const lls = outputsPerInit.map((o) => logLikelihood(o, choices, beta, lapse));
  const m = Math.max(...lls);
  if (!Number.isFinite(m)) return m;
  return m + Math.log(lls.reduce((s, v) => s + Math.exp(v - m), 0) / lls.length);
}

/** Posterior weights of the S initialisations given the choices (for predictions that mix them). */
export function initWeights(outputsPerInit: readonly ArrayLike<number>[], choices: Int8Array, beta: number, lapse: number): number[] {
  const lls = outputsPerInit.map((o) => logLikelihood(o, choices, beta, lapse));
  const m = Math.max(...lls);
  const w = lls.map((v) => Math.exp(v - m));
  const z = w.reduce((s, v) => s + v, 0);
  return w.map((v) => v / z);
}

/** P(the correct key) per trial: the model-predicted accuracy curve for a fitted (β, lapse). */
export function predictedCorrect(outputs: ArrayLike<number>, seq: StimulusSequence, beta: number, lapse: number): Float64Array {
  return Float64Array.from(seq.trials, (t, i) => choiceProb(outputs[i], t.target[0] > 0 ? 1 : -1, beta, lapse));
}

/** Draw choices from the likelihood (simulated participants). `uniform` returns U[0, 1). */
export function sampleChoices(outputs: ArrayLike<number>, beta: number, lapse: number, uniform: () => number): Int8Array {
  return Int8Array.from({ length: outputs.length }, (_, t) => (uniform() < choiceProb(outputs[t], 1, beta, lapse) ? 1 : -1));
}
